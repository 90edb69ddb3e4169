namespace FlowLogEvents.Local.Gateway;

/// <summary>Allow, or deny with the message the service's AccessDenied error carries.</summary>
public sealed record AuthorizationDecision(bool Allowed, string? Message)
{
    public static AuthorizationDecision Allow { get; } = new(true, null);

    /// <param name="message">As AWS words it, e.g. "User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: s3:PutObject on resource: ..."</param>
    public static AuthorizationDecision Deny(string message) => new(false, message);
}
