using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// Resolves <c>https://logs.{region}.{partition dns suffix}</c>, or the configured endpoint
/// (<see cref="ClientConfig.ServiceURL"/>, which includes the AWS_ENDPOINT_URL* variables) when there is one.
/// FIPS and dual-stack endpoints are not modelled and are refused rather than silently ignored.
/// </summary>
public sealed class CloudWatchLogsEndpointProvider : IEndpointProvider
{
    internal const string Region = nameof(Region);
    internal const string Endpoint = nameof(Endpoint);
    internal const string UseFips = "UseFIPS";
    internal const string UseDualStack = nameof(UseDualStack);

    public Amazon.Runtime.Endpoints.Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters[Endpoint] is string { Length: > 0 } configured)
        {
            return new Amazon.Runtime.Endpoints.Endpoint(configured);
        }

        if (parameters[UseFips] is true || parameters[UseDualStack] is true)
        {
            throw new AmazonClientException("FIPS and dual-stack CloudWatch Logs endpoints are not supported by this client; set ServiceURL instead.");
        }

        if (parameters[Region] is not string { Length: > 0 } region)
        {
            throw new AmazonClientException("No region is configured for CloudWatch Logs: set RegionEndpoint, AWS_REGION or ServiceURL.");
        }

        var suffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix ?? "amazonaws.com";
        return new Amazon.Runtime.Endpoints.Endpoint($"https://logs.{region}.{suffix}");
    }
}
