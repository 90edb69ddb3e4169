using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// Configuration of <see cref="CloudWatchLogsClient"/>, shaped like a generated AWSSDK v4 service config.
/// Setting the service id makes <see cref="ClientConfig.ServiceURL"/> honour
/// <c>AWS_ENDPOINT_URL_CLOUDWATCH_LOGS</c>, then <c>AWS_ENDPOINT_URL</c>, then the profile's endpoint_url.
/// </summary>
public sealed class CloudWatchLogsConfig : ClientConfig
{
    internal const string ServiceIdentifier = "CloudWatch Logs";
    internal const string SigningName = "logs";

    private static readonly string UserAgentString =
        InternalSDKUtils.BuildUserAgentString("CloudWatchLogs", typeof(CloudWatchLogsConfig).Assembly.GetName().Version?.ToString() ?? "0.0.0");

    private static readonly CloudWatchLogsEndpointResolver EndpointResolver = new();

    public CloudWatchLogsConfig()
        : base(new DefaultConfigurationProvider(DefaultConfigurations()))
    {
        ServiceId = ServiceIdentifier;
        AuthenticationServiceName = SigningName;
        EndpointProvider = new CloudWatchLogsEndpointProvider();
        HttpClientFactory = new CloudWatchLogsHttpClientFactory();
    }

    public override string RegionEndpointServiceName => SigningName;

    public override string ServiceVersion => "2014-03-28";

    public override string UserAgent => UserAgentString;

    public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var requestContext = new RequestContext(false)
        {
            ClientConfig = this,
            OriginalRequest = parameters.Request,
            Request = new DefaultRequest(parameters.Request, ServiceIdentifier) { AlternateEndpoint = parameters.AlternateEndpoint },
        };
        return EndpointResolver.GetEndpoint(new Amazon.Runtime.Internal.ExecutionContext(requestContext, null));
    }

    // The same modes and connect timeouts as the generated AWSSDK configs, all on the standard retry mode.
    private static DefaultConfiguration[] DefaultConfigurations() =>
    [
        Mode(DefaultConfigurationMode.Standard, 3100),
        Mode(DefaultConfigurationMode.InRegion, 1100),
        Mode(DefaultConfigurationMode.CrossRegion, 3100),
        Mode(DefaultConfigurationMode.Mobile, 30000),
        Mode(DefaultConfigurationMode.Auto, 1100),
    ];

    private static DefaultConfiguration Mode(DefaultConfigurationMode name, int connectTimeoutMs) => new()
    {
        Name = name,
        RetryMode = RequestRetryMode.Standard,
        S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
        ConnectTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
        TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
    };
}
