using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Integration;

/// <summary>SDK clients pointed at a moto_server.</summary>
public static class AwsTestClients
{
    public static readonly BasicAWSCredentials Credentials = new("test", "test");

    public static AmazonS3Client S3(MotoServer moto) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = MotoServer.Region,
    });

    public static CloudWatchLogsClient Logs(MotoServer moto) => new(Credentials, new CloudWatchLogsConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
    });

    public static AmazonSQSClient Sqs(MotoServer moto) => new(Credentials, new AmazonSQSConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
    });
}
