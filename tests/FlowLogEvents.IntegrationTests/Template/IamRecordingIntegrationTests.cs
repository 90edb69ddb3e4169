using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Configuration;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Runs the functions' real flows with real SDK clients against moto_server and records the AWS
/// operations actually sent (<see cref="AwsCallRecorder"/>): what the code does must be what
/// <see cref="IamActions"/> declares, so the template's roles (checked against the declaration)
/// follow the code.
/// </summary>
[Trait("Category", "Integration")]
public sealed class IamRecordingIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string LogGroup = "/vpc/flow-logs";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1764168330000);

    [Fact]
    public async Task SignalFunction_RealFlow_SendsExactlyTheDeclaredActions()
    {
        using var setup = AwsTestClients.Sqs(moto);
        var queueUrl = await NewFifoQueueAsync(setup, "signals");
        var time = new ManualTimeProvider(Now);
        using var telemetry = new TelemetryCapture(time, "signal");

        var calls = AwsCallRecorder.Start();
        try
        {
            using var sqs = AwsTestClients.Sqs(moto);
            var function = new SignalFunction(new SqsQueueSender(sqs, new Uri(queueUrl)), new SignalSettings(new Uri(queueUrl), TimeSpan.FromSeconds(60)), time, telemetry.Telemetry);
            (await function.HandleAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"))).Dispose();
        }
        finally
        {
            AwsCallRecorder.Stop();
        }

        Assert.Equal(["sqs:SendMessage"], calls.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Calls(nameof(SqsQueueSender), IamActions.SignalFunction), calls.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExportFunction_RealS3AndSqsFlows_SendExactlyTheDeclaredS3AndSqsActions()
    {
        using var setupSqs = AwsTestClients.Sqs(moto);
        using var setupS3 = AwsTestClients.S3(moto);
        var queueUrl = await NewFifoQueueAsync(setupSqs, "signals");
        var dlqUrl = await NewFifoQueueAsync(setupSqs, "dlq");
        var bucket = "exports-" + Guid.NewGuid().ToString("N")[..12];
        await setupS3.PutBucketAsync(bucket);
        var time = new ManualTimeProvider(Now);
        using var telemetry = new TelemetryCapture(time, "export");
        var tasks = new FakeExportTasks();
        var policy = new ExportPolicy { ExportBucket = bucket, ExportPrefix = "flowlogevents/exports" };

        var calls = AwsCallRecorder.Start();
        try
        {
            using var s3 = AwsTestClients.S3(moto);
            using var sqs = AwsTestClients.Sqs(moto);
            var function = new ExportFunction(
                new S3CheckpointStore(s3, bucket, "flowlogevents/state"),
                tasks,
                new SqsQueueSender(sqs, new Uri(queueUrl)),
                new SqsQueueSender(sqs, new Uri(dlqUrl)),
                policy,
                time,
                telemetry.Telemetry);

            // A data signal (new checkpoint, window planned, task pending: continuation) and a malformed one (DLQ).
            (await function.HandleAsync(SqsEvent(("m-1", SignalCodec.Encode(DataSignal())), ("m-2", "{not a signal")))).Dispose();

            // Later: the task completed, the checkpoint advances.
            time.Advance(TimeSpan.FromMinutes(5));
            tasks.CompleteAllActive();
            (await function.HandleAsync(SqsEvent(("m-3", SignalCodec.Encode(DataSignal() with { Kind = SignalKind.Continuation, Continuations = 1 }))))).Dispose();
        }
        finally
        {
            AwsCallRecorder.Stop();
        }

        var expected = Calls(nameof(S3CheckpointStore), S3CheckpointStore.RequiredActions).Concat(Calls(nameof(SqsQueueSender), SqsQueueSender.RequiredActions)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["s3:GetObject", "s3:PutObject", "sqs:SendMessage"], expected);
        Assert.Equal(expected, calls.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(ExportTaskStatus.Completed, tasks.Tasks[0].Status);
    }

    /// <summary>
    /// The CloudWatch Logs part of the export function's flows, with the real CloudWatch Logs client.
    /// </summary>
    [Fact]
    public async Task ExportFunction_RealCloudWatchLogsFlows_SendExactlyTheDeclaredLogsActions()
    {
        using var setupSqs = AwsTestClients.Sqs(moto);
        using var setupS3 = AwsTestClients.S3(moto);
        var queueUrl = await NewFifoQueueAsync(setupSqs, "signals");
        var dlqUrl = await NewFifoQueueAsync(setupSqs, "dlq");
        var bucket = "exports-" + Guid.NewGuid().ToString("N")[..12];
        await setupS3.PutBucketAsync(bucket);
        var logGroup = "/vpc/recorded-" + Guid.NewGuid().ToString("N")[..8];
        using (var setupLogs = AwsTestClients.Logs(moto))
        {
            await setupLogs.CreateLogGroupAsync(logGroup, CancellationToken.None);
        }

        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var telemetry = new TelemetryCapture(time, "export");
        var policy = new ExportPolicy
        {
            ExportBucket = bucket,
            ExportPrefix = "flowlogevents/exports",
            SettleDelay = TimeSpan.Zero,
            StartMode = StartMode.LogGroupCreation,
        };

        var calls = AwsCallRecorder.Start();
        try
        {
            using var s3 = AwsTestClients.S3(moto);
            using var sqs = AwsTestClients.Sqs(moto);
            using var logs = AwsTestClients.Logs(moto);
            var function = new ExportFunction(
                new S3CheckpointStore(s3, bucket, "flowlogevents/state"),
                new CloudWatchExportTasks(logs),
                new SqsQueueSender(sqs, new Uri(queueUrl)),
                new SqsQueueSender(sqs, new Uri(dlqUrl)),
                policy,
                time,
                telemetry.Telemetry);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var signal = DataSignal() with { LogGroup = logGroup, FirstEventTime = now - 60_000, LastEventTime = now - 1_000, WindowStart = now - 60_000, WindowEnd = now };

            // DescribeLogGroups (start at creation), CreateExportTask, DescribeExportTasks (moto completes at once).
            (await function.HandleAsync(SqsEvent(("m-1", SignalCodec.Encode(signal))))).Dispose();
            time.Advance(TimeSpan.FromMinutes(1));
            (await function.HandleAsync(SqsEvent(("m-2", SignalCodec.Encode(signal with { Kind = SignalKind.Continuation, Continuations = 1 }))))).Dispose();
        }
        finally
        {
            AwsCallRecorder.Stop();
        }

        // CreateExportTask needs s3:PutObject on the destination, which no request of the function carries (implied).
        var recordedLogs = calls.Where(c => c.StartsWith("logs:", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(Calls(nameof(CloudWatchExportTasks), CloudWatchExportTasks.RequiredActions), recordedLogs);
    }

    /// <summary>An adapter's declared actions minus its implied ones (which no request carries), sorted.</summary>
    private static List<string> Calls(string adapter, IEnumerable<string> declared) =>
        declared.Where(a => !IamActions.IsImplied(adapter, a)).Distinct().Order(StringComparer.Ordinal).ToList();

    private static Signal DataSignal() => new()
    {
        LogGroup = LogGroup,
        FirstEventTime = 1764166680000,
        LastEventTime = 1764167640000,
        EventCount = 6,
        WindowStart = 1764167580000,
        WindowEnd = 1764167640000,
    };

    private static MemoryStream SqsEvent(params (string MessageId, string Body)[] records)
    {
        var json = JsonSerializer.Serialize(new { Records = records.Select(r => new { messageId = r.MessageId, body = r.Body }) });
        return new MemoryStream(Encoding.UTF8.GetBytes(json));
    }

    private static async Task<string> NewFifoQueueAsync(Amazon.SQS.AmazonSQSClient sqs, string name) =>
        (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"{name}-{Guid.NewGuid():N}.fifo",
            Attributes = new() { ["FifoQueue"] = "true" },
        })).QueueUrl;
}
