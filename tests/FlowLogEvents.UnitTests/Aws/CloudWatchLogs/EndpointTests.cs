using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class EndpointTests
{
    private static readonly OperationRequest AnyRequest = new(
        CloudWatchLogsOperations.CreateLogGroup, new LogGroupNameBody("/g"), CloudWatchLogsJsonContext.Default.LogGroupNameBody);

    [Theory]
    [InlineData("us-east-1", "https://logs.us-east-1.amazonaws.com/")]
    [InlineData("eu-west-1", "https://logs.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://logs.cn-north-1.amazonaws.com.cn/")]
    public void DetermineServiceOperationEndpoint_Region_ResolvesRegionalHost(string region, string expected)
    {
        var config = new CloudWatchLogsConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region), IgnoreConfiguredEndpointUrls = true };

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(AnyRequest));

        Assert.Equal(expected, endpoint.URL);
    }

    [Fact]
    public void DetermineServiceOperationEndpoint_ServiceUrl_UsesIt()
    {
        var config = new CloudWatchLogsConfig { ServiceURL = "http://127.0.0.1:4566" };

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(AnyRequest));

        Assert.Equal("http://127.0.0.1:4566/", endpoint.URL);
    }

    [Fact]
    public void DetermineServiceOperationEndpoint_Fips_IsRefused()
    {
        var config = new CloudWatchLogsConfig { RegionEndpoint = RegionEndpoint.USEast1, UseFIPSEndpoint = true, IgnoreConfiguredEndpointUrls = true };

        Assert.Throws<AmazonClientException>(() => config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(AnyRequest)));
    }

    [Fact]
    public void Config_Defaults_MatchTheServiceModel()
    {
        var config = new CloudWatchLogsConfig();

        Assert.Equal(
            ("CloudWatch Logs", "logs", "logs", "2014-03-28", RequestRetryMode.Standard),
            (config.ServiceId, config.AuthenticationServiceName, config.RegionEndpointServiceName, config.ServiceVersion, config.RetryMode));
    }
}
