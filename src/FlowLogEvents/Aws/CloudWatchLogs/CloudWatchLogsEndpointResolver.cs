using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>Pipeline handler that feeds the client config into <see cref="CloudWatchLogsEndpointProvider"/>.</summary>
internal sealed class CloudWatchLogsEndpointResolver : BaseEndpointResolver
{
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        var config = requestContext.ClientConfig;
        var parameters = new EndpointParameters();
        parameters[CloudWatchLogsEndpointProvider.Region] =
            requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion;
        parameters[CloudWatchLogsEndpointProvider.Endpoint] = config.ServiceURL;
        parameters[CloudWatchLogsEndpointProvider.UseFips] = config.UseFIPSEndpoint;
        parameters[CloudWatchLogsEndpointProvider.UseDualStack] = config.UseDualstackEndpoint;
        return parameters;
    }
}
