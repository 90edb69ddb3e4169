using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Functions;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fixtures;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Integration;

/// <summary>
/// The constructors the Lambda runtime calls, configured only by environment variables: the same
/// binary reaches moto through the standard AWS_ENDPOINT_URL override.
/// </summary>
[Collection(SerialEnvironment.Name)]
[Trait("Category", "Integration")]
public sealed class ParameterlessConstructorTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private Dictionary<string, string?> AwsEnvironment() => new()
    {
        ["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString(),
        ["AWS_ENDPOINT_URL_S3"] = null,
        ["AWS_ENDPOINT_URL_SQS"] = null,
        ["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = null,
        ["AWS_REGION"] = MotoServer.Region,
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_SESSION_TOKEN"] = null,
    };

    private async Task<string> CreateFifoQueueAsync(string name)
    {
        using var sqs = AwsTestClients.Sqs(moto);
        return (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name + ".fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
    }

    [Fact]
    public async Task SignalFunction_ConfiguredByEnvironment_SendsSignalToMotoQueue()
    {
        var queueUrl = await CreateFifoQueueAsync($"env-signals-{Guid.NewGuid():N}");
        var variables = AwsEnvironment();
        variables["SIGNAL_QUEUE_URL"] = queueUrl;
        variables["DEBOUNCE_SECONDS"] = "60";
        using var environment = new EnvironmentScope(variables);

        var function = new SignalFunction();

        // Real-shaped, stamped now: the function runs on the real clock, and CloudWatch Logs accepts no event older than 14 days.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var payload = FlowLogEvents.Local.Harness.SubscriptionEncoder.DataMessage(
            "123456789012",
            "/vpc/flow-logs",
            "eni-0a1b2c3d4e5f60001-all",
            [new(FlowLogEvents.Local.Harness.SubscriptionEncoder.EventId(now - 120_000, 1), now - 120_000, "2 123456789012 eni-0a1b2c3d4e5f60001 10.0.1.5 10.0.2.9 443 49152 6 10 840 1 2 ACCEPT OK")]);
        (await function.HandleAsync(new MemoryStream(payload))).Dispose();

        using var sqs = AwsTestClients.Sqs(moto);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 });
        Assert.Equal("/vpc/flow-logs", SignalCodec.Decode(Assert.Single(received.Messages).Body).LogGroup);
    }

    [Fact]
    public async Task ExportFunction_ConfiguredByEnvironment_ExportsToMotoBucket()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var logGroup = $"/vpc/env-{id}";
        var bucket = $"env-exports-{id}";
        var realNow = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var t0 = realNow - (realNow % 60_000) - (3 * 3_600_000);
        using (var logs = AwsTestClients.Logs(moto))
        using (var s3 = AwsTestClients.S3(moto))
        {
            await s3.PutBucketAsync(bucket);
            await logs.CreateLogGroupAsync(logGroup, CancellationToken.None);
            await logs.CreateLogStreamAsync(logGroup, "eni-1-all", CancellationToken.None);
            await logs.PutLogEventsAsync(logGroup, "eni-1-all", [new InputLogEvent(t0 + 1000, "flow one"), new InputLogEvent(t0 + 2000, "flow two")], CancellationToken.None);
        }

        var variables = AwsEnvironment();
        variables["SIGNAL_QUEUE_URL"] = await CreateFifoQueueAsync($"env-q-{id}");
        variables["DEAD_LETTER_QUEUE_URL"] = await CreateFifoQueueAsync($"env-dlq-{id}");
        variables["EXPORT_BUCKET"] = bucket;
        variables["FUNCTION_TIMEOUT_SECONDS"] = "60";
        variables["STACK_NAME"] = $"env-stack-{id}";
        variables["EXPORT_START"] = DateTimeOffset.FromUnixTimeMilliseconds(t0).ToString("O");
        using var environment = new EnvironmentScope(variables);
        var signal = SignalCodec.Encode(new Signal
        {
            LogGroup = logGroup,
            FirstEventTime = t0 + 1000,
            LastEventTime = t0 + 2000,
            EventCount = 2,
            WindowStart = t0 + 60_000,
            WindowEnd = t0 + 120_000,
        });
        var sqsEvent = JsonSerializer.Serialize(new { Records = new[] { new { messageId = "m-1", body = signal, eventSource = "aws:sqs" } } });

        var function = new ExportFunction();
        using var output = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(sqsEvent)));

        using var reader = new StreamReader(output);
        Assert.Equal("""{"batchItemFailures":[]}""", await reader.ReadToEndAsync());
        using var client = AwsTestClients.S3(moto);
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = $"flowlogevents/exports{logGroup}/" });
        Assert.Single(listed.S3Objects ?? [], o => o.Key.EndsWith("/eni-1-all/000000.gz", StringComparison.Ordinal));
        var state = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "flowlogevents/state/" });
        Assert.Equal(
            [$"flowlogevents/state/{Uri.EscapeDataString(logGroup)}.json", $"flowlogevents/state/{Uri.EscapeDataString(logGroup)}.json.exported"],
            state.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
    }
}
