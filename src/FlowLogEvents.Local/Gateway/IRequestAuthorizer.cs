namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// Decides whether a function's environment may make a request (where an IAM evaluation of the
/// function's role plugs in). Called once per request of a known caller, before it is relayed.
/// </summary>
public interface IRequestAuthorizer
{
    AuthorizationDecision Authorize(GatewayCaller caller, AwsRequestInfo request);
}
