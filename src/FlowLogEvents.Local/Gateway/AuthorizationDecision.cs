namespace FlowLogEvents.Local.Gateway;

/// <summary>Allow, or deny with the message (and, for AWS JSON services, the error type) the service's error carries.</summary>
public sealed record AuthorizationDecision(bool Allowed, string? Message)
{
    public static AuthorizationDecision Allow { get; } = new(true, null);

    /// <summary>
    /// AWS JSON 1.1 services only (CloudWatch Logs): the <c>__type</c> of the error, when a check answers with
    /// another error than AccessDeniedException; null: the service's AccessDenied shape.
    /// </summary>
    public string? ErrorType { get; init; }

    /// <param name="message">As AWS words it, e.g. "User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:PutObject on resource: ..."</param>
    public static AuthorizationDecision Deny(string message) => new(false, message);

    public static AuthorizationDecision Deny(string message, string errorType) => new(false, message) { ErrorType = errorType };
}
