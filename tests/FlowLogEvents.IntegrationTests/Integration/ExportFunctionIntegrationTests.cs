using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.Integration;

/// <summary>The export function with its real adapters against moto: CloudWatch Logs, S3 and SQS.</summary>
[Trait("Category", "Integration")]
public sealed class ExportFunctionIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Prefix = "flowlogevents/exports";

    private sealed record Environment(
        ExportFunction Function,
        ManualTimeProvider Time,
        TelemetryCapture Telemetry,
        S3CheckpointStore Checkpoints,
        string Bucket,
        string QueueUrl,
        string DeadLetterQueueUrl,
        string LogGroup,
        long T0);

    /// <summary>
    /// A log group with events around [T0, T0 + 30 min], a bucket, a FIFO queue and DLQ, and the export
    /// function wired to them. T0 is three hours before the real clock (moto checks PutLogEvents
    /// timestamps against it); the function's clock is T0 + <paramref name="clockOffset"/>.
    /// </summary>
    private async Task<Environment> ArrangeAsync(TimeSpan clockOffset, (long Offset, string Message)[] events)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var realNow = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var t0 = realNow - (realNow % 60_000) - (3 * 3_600_000);
        var logGroup = $"/vpc/flow-logs-{id}";
        var bucket = $"exports-{id}";

        var logs = AwsTestClients.Logs(moto);
        var s3 = AwsTestClients.S3(moto);
        var sqs = AwsTestClients.Sqs(moto);
        await s3.PutBucketAsync(bucket);
        await logs.CreateLogGroupAsync(logGroup, CancellationToken.None);
        await logs.CreateLogStreamAsync(logGroup, "eni-0a1b2c3d4e5f60718-all", CancellationToken.None);
        await logs.PutLogEventsAsync(
            logGroup,
            "eni-0a1b2c3d4e5f60718-all",
            events.OrderBy(e => e.Offset).Select(e => new InputLogEvent(t0 + e.Offset, e.Message)).ToList(),
            CancellationToken.None);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"signals-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var dlqUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"dlq-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;

        var time = new ManualTimeProvider(t0 + (long)clockOffset.TotalMilliseconds);
        var telemetry = new TelemetryCapture(time);
        var policy = new ExportPolicy
        {
            ExportBucket = bucket,
            ExportPrefix = Prefix,
            StartMode = StartMode.Fixed,
            FixedStart = DateTimeOffset.FromUnixTimeMilliseconds(t0),
            SettleDelay = TimeSpan.FromMinutes(15),
            MinWindow = TimeSpan.FromMinutes(1),
            MaxWindow = TimeSpan.FromMinutes(30),
        };
        var checkpoints = new S3CheckpointStore(s3, bucket, "flowlogevents/state");
        var function = new ExportFunction(
            checkpoints,
            new CloudWatchExportTasks(logs),
            new SqsQueueSender(sqs, new Uri(queueUrl)),
            new SqsQueueSender(sqs, new Uri(dlqUrl)),
            policy,
            time,
            telemetry.Telemetry);
        return new Environment(function, time, telemetry, checkpoints, bucket, queueUrl, dlqUrl, logGroup, t0);
    }

    private static MemoryStream SqsEvent(params (string MessageId, string Body)[] records)
    {
        var json = JsonSerializer.Serialize(new
        {
            Records = records.Select(r => new
            {
                messageId = r.MessageId,
                receiptHandle = "AQEB" + r.MessageId,
                body = r.Body,
                attributes = new Dictionary<string, string>
                {
                    ["ApproximateReceiveCount"] = "1",
                    ["MessageGroupId"] = SignalPublisher.MessageGroupId,
                },
                messageAttributes = new { },
                eventSource = "aws:sqs",
                eventSourceARN = "arn:aws:sqs:us-east-1:123456789012:signals.fifo",
                awsRegion = "us-east-1",
            }),
        });
        return new MemoryStream(Encoding.UTF8.GetBytes(json));
    }

    private static string SignalBody(string logGroup, long first, long last, long windowStart) => SignalCodec.Encode(new Signal
    {
        LogGroup = logGroup,
        LogStream = "eni-0a1b2c3d4e5f60718-all",
        FirstEventTime = first,
        LastEventTime = last,
        EventCount = 4,
        WindowStart = windowStart,
        WindowEnd = windowStart + 60_000,
    });

    private async Task<List<string>> ExportedMessagesAsync(string bucket, string prefix)
    {
        using var s3 = AwsTestClients.S3(moto);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        var messages = new List<string>();
        foreach (var obj in (listed.S3Objects ?? []).Where(o => o.Key.EndsWith(".gz", StringComparison.Ordinal)))
        {
            using var response = await s3.GetObjectAsync(bucket, obj.Key);
            using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    messages.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                }
            }
        }

        return messages;
    }

    [Fact]
    public async Task HandleAsync_SettledRange_ExportsExactlyTheWindowsEventsAndAdvancesCheckpoint()
    {
        (long, string)[] events =
        [
            (-1, "before start"),
            (0, "at start"),
            (600_000, "ten minutes in"),
            (1_799_999, "last millisecond of the first window"),
            (1_800_000, "first millisecond of the second window"),
            (1_800_001, "after the settled end"),
        ];
        var env = await ArrangeAsync(TimeSpan.FromMinutes(45), events);
        var body = SignalBody(env.LogGroup, env.T0, env.T0 + 1_800_000, env.T0 + 1_200_000);

        using var output = await env.Function.HandleAsync(SqsEvent(("11111111-1111-1111-1111-111111111111", body)));

        using (var response = await JsonDocument.ParseAsync(output))
        {
            Assert.Equal(0, response.RootElement.GetProperty("batchItemFailures").GetArrayLength());
        }

        var exported = await ExportedMessagesAsync(env.Bucket, $"{Prefix}{env.LogGroup}/");
        Assert.Equal(
            ["at start", "first millisecond of the second window", "last millisecond of the first window", "ten minutes in"],
            exported.Order(StringComparer.Ordinal).ToList());

        var checkpoint = (await env.Checkpoints.LoadAsync(env.LogGroup, CancellationToken.None))!.Value;
        Assert.Equal(env.T0 + 1_800_000, checkpoint.ExportedThrough);
        Assert.Null(checkpoint.InFlight);
        Assert.Equal(2, checkpoint.ExportsCompleted);
        Assert.Equal(
            [(env.T0, env.T0 + 1_799_999), (env.T0 + 1_800_000, env.T0 + 1_800_000)],
            env.Telemetry.Events(LogEvents.TaskCreated).Select(e => (e.GetProperty("from").GetInt64(), e.GetProperty("to").GetInt64())).ToList());

        using var sqs = AwsTestClients.Sqs(moto);
        var left = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = env.QueueUrl, MaxNumberOfMessages = 10 });
        Assert.Empty(left.Messages ?? []);
    }

    [Fact]
    public async Task HandleAsync_DataNotSettled_PutsOneContinuationOnTheRealQueue()
    {
        var env = await ArrangeAsync(TimeSpan.FromMinutes(10), [(0, "early")]);
        var body = SignalBody(env.LogGroup, env.T0, env.T0, env.T0 + 540_000);

        using var output = await env.Function.HandleAsync(SqsEvent(("22222222-2222-2222-2222-222222222222", body)));

        using var sqs = AwsTestClients.Sqs(moto);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = env.QueueUrl, MaxNumberOfMessages = 10, MessageSystemAttributeNames = ["All"] });
        var message = Assert.Single(received.Messages);
        var continuation = SignalCodec.Decode(message.Body);
        Assert.Equal((SignalKind.Continuation, 1, env.LogGroup), (continuation.Kind, continuation.Continuations, continuation.LogGroup));
        Assert.Equal($"continue-{SignalPublisher.Hash(env.LogGroup)}-22222222-2222-2222-2222-222222222222", message.Attributes["MessageDeduplicationId"]);
        Assert.Empty(await ExportedMessagesAsync(env.Bucket, Prefix));
        var checkpoint = (await env.Checkpoints.LoadAsync(env.LogGroup, CancellationToken.None))!.Value;
        Assert.Equal((env.T0 - 1, (InFlightExport?)null), (checkpoint.ExportedThrough, checkpoint.InFlight));
    }

    [Fact]
    public async Task HandleAsync_LogGroupDoesNotExist_MovesWorkToTheRealDeadLetterQueueNamingTheError()
    {
        var env = await ArrangeAsync(TimeSpan.FromMinutes(45), [(0, "irrelevant")]);
        var missing = env.LogGroup + "-missing";
        var body = SignalBody(missing, env.T0, env.T0 + 60_000, env.T0 + 1_200_000);

        using var output = await env.Function.HandleAsync(SqsEvent(("33333333-3333-3333-3333-333333333333", body)));

        using (var response = await JsonDocument.ParseAsync(output))
        {
            Assert.Equal(0, response.RootElement.GetProperty("batchItemFailures").GetArrayLength());
        }

        using var sqs = AwsTestClients.Sqs(moto);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = env.DeadLetterQueueUrl, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"] });
        var message = Assert.Single(received.Messages);
        Assert.Equal(missing, SignalCodec.Decode(message.Body).LogGroup);
        Assert.StartsWith("ExportRejectedException: ResourceNotFoundException", message.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue, StringComparison.Ordinal);
        Assert.Equal("33333333-3333-3333-3333-333333333333", message.MessageAttributes[ExportBatchProcessor.SourceMessageAttribute].StringValue);
    }
}
