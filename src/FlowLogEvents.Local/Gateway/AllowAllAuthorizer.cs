namespace FlowLogEvents.Local.Gateway;

/// <summary>The default <see cref="IRequestAuthorizer"/>: every request is allowed.</summary>
public sealed class AllowAllAuthorizer : IRequestAuthorizer
{
    public static AllowAllAuthorizer Instance { get; } = new();

    public AuthorizationDecision Authorize(GatewayCaller caller, AwsRequestInfo request) => AuthorizationDecision.Allow;
}
