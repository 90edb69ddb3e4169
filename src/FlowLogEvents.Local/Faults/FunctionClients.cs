using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Faults;

/// <summary>
/// The AWS clients the functions use. Without AWS faults they are the local cloud's own clients;
/// with them, separate clients whose HTTP goes through an <see cref="AwsFaultHandler"/> (the harness's
/// own calls, the event source mapping's and the verifier's, stay clean).
/// </summary>
public sealed class FunctionClients : IAsyncDisposable
{
    private readonly bool _owned;
    private readonly AwsFaultHandler? _handler;
    private readonly FaultyHttpClientFactory? _factory;

    private FunctionClients(IAmazonS3 s3, IAmazonSQS sqs, CloudWatchLogsClient logs, bool owned, AwsFaultHandler? handler, FaultyHttpClientFactory? factory = null)
    {
        _factory = factory;
        S3 = s3;
        Sqs = sqs;
        Logs = logs;
        _owned = owned;
        _handler = handler;
    }

    public IAmazonS3 S3 { get; }

    public IAmazonSQS Sqs { get; }

    public CloudWatchLogsClient Logs { get; }

    public static FunctionClients Create(LocalCloudResources cloud, FaultOptions faults, FaultCounters counters, int seed)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.AwsErrorRate <= 0 && faults.LostResponseRate <= 0)
        {
            return new FunctionClients(cloud.S3, cloud.Sqs, cloud.Logs, owned: false, handler: null);
        }

        var handler = new AwsFaultHandler(faults, counters, seed ^ 0x7a0175);
        var factory = new FaultyHttpClientFactory(handler);
        var credentials = new BasicAWSCredentials("test", "test");
        var s3 = new AmazonS3Client(credentials, new AmazonS3Config
        {
            ServiceURL = cloud.MotoEndpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = LocalCloudResources.Region,
            HttpClientFactory = factory,
        });
        var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig
        {
            ServiceURL = cloud.MotoEndpoint.ToString(),
            AuthenticationRegion = LocalCloudResources.Region,
            HttpClientFactory = factory,
        });
        var logs = new CloudWatchLogsClient(credentials, new CloudWatchLogsConfig
        {
            ServiceURL = cloud.Front.Endpoint.ToString(),
            AuthenticationRegion = LocalCloudResources.Region,
            HttpClientFactory = factory,
        });
        return new FunctionClients(s3, sqs, logs, owned: true, handler, factory);
    }

    public ValueTask DisposeAsync()
    {
        if (_owned)
        {
            // Crashed invocations may still hold these clients (a dead process never returns); the
            // run is over, so nothing uses them any more.
            S3.Dispose();
            Sqs.Dispose();
            Logs.Dispose();
            _factory?.Dispose();
            _handler?.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
