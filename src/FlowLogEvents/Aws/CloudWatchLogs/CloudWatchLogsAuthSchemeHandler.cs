using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>Every CloudWatch Logs operation is signed with SigV4 (service model auth: aws.auth#sigv4).</summary>
internal sealed class CloudWatchLogsAuthSchemeHandler : BaseAuthResolverHandler
{
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
