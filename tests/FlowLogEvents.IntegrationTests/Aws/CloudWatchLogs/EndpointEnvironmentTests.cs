using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Tests.Integration;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

[Collection(SerialEnvironment.Name)]
[Trait("Category", "Integration")]
public sealed class EndpointEnvironmentTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Global = "AWS_ENDPOINT_URL";
    private const string ServiceSpecific = "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS";

    [Fact]
    public async Task DefaultConstructor_AwsEndpointUrlSet_ReachesMoto()
    {
        using var environment = new EnvironmentScope(new()
        {
            [Global] = moto.Endpoint.ToString(),
            [ServiceSpecific] = null,
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_SESSION_TOKEN"] = null,
        });
        using var client = new CloudWatchLogsClient();

        await client.CreateLogGroupAsync("/cwl-env-tests/global", CancellationToken.None);
        var groups = await client.DescribeLogGroupsAsync("/cwl-env-tests/global", null, CancellationToken.None);

        Assert.Equal(moto.Endpoint.ToString(), client.Config.ServiceURL);
        Assert.Equal(["/cwl-env-tests/global"], groups.LogGroups.Select(g => g.LogGroupName).ToArray());
    }

    [Fact]
    public async Task Config_ServiceSpecificEndpointUrl_WinsOverAwsEndpointUrl()
    {
        using var environment = new EnvironmentScope(new()
        {
            [Global] = "http://127.0.0.1:1/",
            [ServiceSpecific] = moto.Endpoint.ToString(),
        });
        var config = new CloudWatchLogsConfig { AuthenticationRegion = MotoServer.Region };
        using var client = new CloudWatchLogsClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"), config);

        await client.CreateLogGroupAsync("/cwl-env-tests/specific", CancellationToken.None);

        Assert.Equal(moto.Endpoint.ToString(), config.ServiceURL);
    }
}
