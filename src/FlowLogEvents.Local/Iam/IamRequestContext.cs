namespace FlowLogEvents.Local.Iam;

/// <summary>
/// What a policy is evaluated against: one action on one resource by one principal, with the request's
/// condition context keys (<c>aws:SourceAccount</c>, <c>aws:SecureTransport</c>, <c>s3:x-amz-acl</c>, ...).
/// </summary>
/// <param name="ServicePrincipal">The calling service (<c>logs.us-east-1.amazonaws.com</c>) for resource policies; null for a role's own request.</param>
/// <param name="PrincipalArn">The calling role's ARN for resource policies naming <c>{"AWS": ...}</c>; null when a service calls.</param>
public sealed record IamRequestContext(
    string Action,
    string Resource,
    IReadOnlyDictionary<string, string> Keys,
    string? ServicePrincipal = null,
    string? PrincipalArn = null);
