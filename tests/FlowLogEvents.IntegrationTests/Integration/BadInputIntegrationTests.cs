using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using FlowLogEvents.Aws;
using FlowLogEvents.Configuration;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Corpus;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.Integration;

/// <summary>Bad input where S3, SQS and CloudWatch Logs behaviour matters, against moto_server.</summary>
[Trait("Category", "Integration")]
public sealed class BadInputIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string StatePrefix = "flowlogevents/state";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Rig(ExportFunction Function, ManualTimeProvider Time, TelemetryCapture Telemetry, S3CheckpointStore Checkpoints, AmazonS3Client S3, string Bucket, string DeadLetterQueueUrl, string QueueUrl);

    /// <summary>A bucket, a FIFO queue and DLQ, and the export function on them with real adapters; the store may be wrapped.</summary>
    private async Task<Rig> ArrangeAsync(Func<S3CheckpointStore, AmazonS3Client, string, ICheckpointStore>? wrap = null, DateTimeOffset? now = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var s3 = AwsTestClients.S3(moto);
        var sqs = AwsTestClients.Sqs(moto);
        var bucket = $"badinput-{id}";
        await s3.PutBucketAsync(bucket);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"signals-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var dlqUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"dlq-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var time = new ManualTimeProvider(now ?? Now);
        var telemetry = new TelemetryCapture(time);
        var checkpoints = new S3CheckpointStore(s3, bucket, StatePrefix);
        var function = new ExportFunction(
            wrap?.Invoke(checkpoints, s3, bucket) ?? checkpoints,
            new CloudWatchExportTasks(AwsTestClients.Logs(moto)),
            new SqsQueueSender(sqs, new Uri(queueUrl)),
            new SqsQueueSender(sqs, new Uri(dlqUrl)),
            new ExportPolicy { ExportBucket = bucket, ExportPrefix = "flowlogevents/exports" },
            time,
            telemetry.Telemetry);
        return new Rig(function, time, telemetry, checkpoints, s3, bucket, dlqUrl, queueUrl);
    }

    private static MemoryStream SqsEvent(string messageId, string body) =>
        new(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { Records = new[] { new { messageId, body, eventSource = "aws:sqs" } } })));

    private static string Body(string logGroup, SignalKind kind = SignalKind.Data) => SignalCodec.Encode(new Signal
    {
        Kind = kind,
        LogGroup = logGroup,
        LogStream = "eni-0a1b2c3d4e5f60718-all",
        FirstEventTime = Now.ToUnixTimeMilliseconds() - (40 * 60_000),
        LastEventTime = Now.ToUnixTimeMilliseconds() - 60_000,
        EventCount = 3,
        WindowStart = Now.ToUnixTimeMilliseconds() - 60_000,
        WindowEnd = Now.ToUnixTimeMilliseconds(),
    });

    private async Task<List<Message>> DeadLettersAsync(Rig rig)
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = rig.DeadLetterQueueUrl, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"] });
        return received.Messages ?? [];
    }

    private static async Task<List<string>> KeysAsync(Rig rig) =>
        ((await rig.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = rig.Bucket, Prefix = StatePrefix })).S3Objects ?? []).Select(o => o.Key).ToList();

    [Fact]
    public async Task TryWriteAsync_IfMatchOnDeletedObject_S3Answers404AndStoreThrowsCheckpointMissing()
    {
        var rig = await ArrangeAsync();
        using var s3 = rig.S3;
        var etag = await rig.Checkpoints.TryWriteAsync(Checkpoint.Start("/vpc/a", 1000, Now), null, CancellationToken.None);
        await s3.DeleteObjectAsync(rig.Bucket, rig.Checkpoints.KeyOf("/vpc/a"));

        var ex = await Assert.ThrowsAsync<CheckpointMissingException>(() => rig.Checkpoints.TryWriteAsync(Checkpoint.Start("/vpc/a", 1000, Now) with { ExportedThrough = 5000 }, etag, CancellationToken.None));

        Assert.Equal($"checkpoint of '/vpc/a' at s3://{rig.Bucket}/{StatePrefix}/%2Fvpc%2Fa.json was deleted while in use (If-Match {etag} answered 404 NoSuchKey)", ex.Message);
        Assert.Empty(await KeysAsync(rig));
    }

    [Fact]
    public async Task HandleAsync_CheckpointDeletedBetweenLoadAndWrite_SetsWorkAsideAndRecreatesNothing()
    {
        const string logGroup = "/vpc/deleted-while-in-use";
        var rig = await ArrangeAsync((store, s3, bucket) => new DeleteBeforeFirstWrite(store, s3, bucket));
        using var s3 = rig.S3;
        var seeded = Checkpoint.Start(logGroup, Now.ToUnixTimeMilliseconds() - (3 * 3_600_000), Now) with { ExportedThrough = Now.ToUnixTimeMilliseconds() - 3_600_000 - 1 };
        await rig.Checkpoints.TryWriteAsync(seeded, null, CancellationToken.None);

        using var output = await rig.Function.HandleAsync(SqsEvent("44444444-4444-4444-4444-444444444444", Body(logGroup)));

        using (var response = await JsonDocument.ParseAsync(output))
        {
            Assert.Equal(0, response.RootElement.GetProperty("batchItemFailures").GetArrayLength());
        }

        var dead = Assert.Single(await DeadLettersAsync(rig));
        Assert.StartsWith($"CheckpointMissingException: checkpoint of '{logGroup}' at s3://{rig.Bucket}/{StatePrefix}/%2Fvpc%2Fdeleted-while-in-use.json was deleted while in use (If-Match ", dead.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue, StringComparison.Ordinal);
        Assert.Equal(logGroup, SignalCodec.Decode(dead.Body).LogGroup);
        // Not recreated from a guess: the key stays absent until someone restores it.
        Assert.Empty(await KeysAsync(rig));
        Assert.Equal([1.0], rig.Telemetry.MetricValues(MetricNames.CheckpointsMissing));
        Assert.Equal([1.0], rig.Telemetry.MetricValues(MetricNames.WorkSetAside));
        Assert.Empty(rig.Telemetry.Events(LogEvents.TaskCreated));
    }

    [Fact]
    public async Task HandleAsync_CheckpointDeletedBetweenRuns_MarkerOutlivesItAndTheWorkIsSetAside()
    {
        const string logGroup = "/vpc/deleted-between-runs";
        var rig = await ArrangeAsync();
        using var s3 = rig.S3;
        using var logs = AwsTestClients.Logs(moto);
        await logs.CreateLogGroupAsync(logGroup, CancellationToken.None);
        (await rig.Function.HandleAsync(SqsEvent("99999999-9999-9999-9999-999999999991", Body(logGroup)))).Dispose();
        Assert.Equal([rig.Checkpoints.KeyOf(logGroup), rig.Checkpoints.MarkerKeyOf(logGroup)], (await KeysAsync(rig)).Order(StringComparer.Ordinal));

        await s3.DeleteObjectAsync(rig.Bucket, rig.Checkpoints.KeyOf(logGroup));
        (await rig.Function.HandleAsync(SqsEvent("99999999-9999-9999-9999-999999999992", Body(logGroup)))).Dispose();

        Assert.Equal([rig.Checkpoints.MarkerKeyOf(logGroup)], await KeysAsync(rig));
        Assert.Single(rig.Telemetry.Events(LogEvents.TaskCreated));
        var dead = Assert.Single(await DeadLettersAsync(rig));
        Assert.Equal($"CheckpointMissingException: checkpoint of '{logGroup}' is missing, but the log group was exported before (s3://{rig.Bucket}/{rig.Checkpoints.MarkerKeyOf(logGroup)}); restore the checkpoint, or delete the marker too to start over", dead.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue);
    }

    [Fact]
    public async Task HandleAsync_ContinuationWithoutCheckpoint_SetsWorkAsideInsteadOfStartingOver()
    {
        const string logGroup = "/vpc/continuation-orphan";
        var rig = await ArrangeAsync();
        using var s3 = rig.S3;

        (await rig.Function.HandleAsync(SqsEvent("55555555-5555-5555-5555-555555555555", Body(logGroup, SignalKind.Continuation)))).Dispose();

        var dead = Assert.Single(await DeadLettersAsync(rig));
        Assert.Equal($"CheckpointMissingException: checkpoint of '{logGroup}' is missing, but this work is a continuation of a run that had one", dead.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue);
        Assert.Empty(await KeysAsync(rig));
    }

    [Fact]
    public async Task HandleAsync_UnreadableCheckpoint_CopiedToQuarantineKeyOriginalUntouchedWorkSetAside()
    {
        const string logGroup = "/vpc/corrupt";
        var rig = await ArrangeAsync();
        using var s3 = rig.S3;
        var bytes = CorpusManifest.FileBytes("checkpoints", CorpusManifest.Case("checkpoints", "truncated-json"));
        var key = rig.Checkpoints.KeyOf(logGroup);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = rig.Bucket, Key = key, InputStream = new MemoryStream(bytes) });
        var quarantineKey = rig.Checkpoints.QuarantineKeyOf(logGroup, put.ETag);

        (await rig.Function.HandleAsync(SqsEvent("66666666-6666-6666-6666-666666666666", Body(logGroup)))).Dispose();
        (await rig.Function.HandleAsync(SqsEvent("77777777-7777-7777-7777-777777777777", Body(logGroup)))).Dispose();

        Assert.Equal([key, quarantineKey], (await KeysAsync(rig)).Order(StringComparer.Ordinal));
        Assert.Equal(bytes, await ReadAsync(s3, rig.Bucket, key));
        Assert.Equal(bytes, await ReadAsync(s3, rig.Bucket, quarantineKey));
        var dead = await DeadLettersAsync(rig);
        Assert.Equal(2, dead.Count);
        Assert.All(dead, m => Assert.EndsWith($"(copy kept at s3://{rig.Bucket}/{quarantineKey})", m.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue, StringComparison.Ordinal));
        Assert.Equal([1.0, 1.0], rig.Telemetry.MetricValues(MetricNames.CheckpointsQuarantined));
    }

    [Fact]
    public async Task SignalThenExport_UnknownLogGroup_SignalledThenSetAsideToTheDeadLetterQueue()
    {
        // The export function's clock near the corpus case's events (November 2025): signals far older are malformed.
        var rig = await ArrangeAsync(now: DateTimeOffset.FromUnixTimeMilliseconds(1764168390000));
        using var s3 = rig.S3;
        using var sqs = AwsTestClients.Sqs(moto);
        var signalTime = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1764168330000));
        using var signalTelemetry = new TelemetryCapture(signalTime, "signal");
        var signalFunction = new SignalFunction(new SqsQueueSender(sqs, new Uri(rig.QueueUrl)), new SignalSettings(new Uri(rig.QueueUrl), TimeSpan.FromSeconds(60)), signalTime, signalTelemetry.Telemetry);

        // The signal function cannot know the log group does not exist: it signals.
        (await signalFunction.HandleAsync(new MemoryStream(CorpusManifest.FileBytes("subscription", CorpusManifest.Case("subscription", "unknown-log-group"))))).Dispose();
        var signalled = Assert.Single((await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = rig.QueueUrl, MaxNumberOfMessages = 10 })).Messages);

        // The export function learns it from CreateExportTask and sets the work aside.
        (await rig.Function.HandleAsync(SqsEvent(signalled.MessageId, signalled.Body))).Dispose();

        var dead = Assert.Single(await DeadLettersAsync(rig));
        Assert.Equal(signalled.Body, dead.Body);
        Assert.Equal("ExportRejectedException: ResourceNotFoundException: The specified log group does not exist.", dead.MessageAttributes[ExportBatchProcessor.SetAsideAttribute].StringValue);
        Assert.Equal([1.0], rig.Telemetry.MetricValues(MetricNames.ExportsRejected));
        Assert.Equal([1.0], rig.Telemetry.MetricValues(MetricNames.WorkSetAside));
    }

    [Fact]
    public async Task HandleAsync_LateEventsReexport_ExportsOnlyTheLateStreamsRangeUnderTheLatePrefix()
    {
        // Events must be within moto's accepted age: work three hours back from the real clock.
        var realNow = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var t0 = realNow - (realNow % 60_000) - (3 * 3_600_000);
        var id = Guid.NewGuid().ToString("N")[..10];
        var logGroup = $"/vpc/late-{id}";
        using var logs = AwsTestClients.Logs(moto);
        await logs.CreateLogGroupAsync(logGroup, CancellationToken.None);
        foreach (var stream in new[] { "eni-a-all", "eni-b-all" })
        {
            await logs.CreateLogStreamAsync(logGroup, stream, CancellationToken.None);
        }

        await logs.PutLogEventsAsync(logGroup, "eni-a-all", [new(t0 - 600_000, "a before the late range"), new(t0 - 300_000, "a late"), new(t0 - 1, "a late, last ms")], CancellationToken.None);
        await logs.PutLogEventsAsync(logGroup, "eni-b-all", [new(t0 - 300_000, "b on time")], CancellationToken.None);

        using var s3 = AwsTestClients.S3(moto);
        using var sqs = AwsTestClients.Sqs(moto);
        var bucket = $"late-{id}";
        await s3.PutBucketAsync(bucket);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"late-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var time = new ManualTimeProvider(t0 + (20 * 60_000));
        using var telemetry = new TelemetryCapture(time);
        var checkpoints = new S3CheckpointStore(s3, bucket, StatePrefix);
        await checkpoints.TryWriteAsync(Checkpoint.Start(logGroup, t0 - 3_600_000, time.GetUtcNow()) with { ExportedThrough = t0 - 1 }, null, CancellationToken.None);
        var function = new ExportFunction(
            checkpoints,
            new CloudWatchExportTasks(logs),
            new SqsQueueSender(sqs, new Uri(queueUrl)),
            new SqsQueueSender(sqs, new Uri(queueUrl)),
            new ExportPolicy { ExportBucket = bucket, ExportPrefix = "flowlogevents/exports", LateEvents = LateEventsMode.Reexport, MinWindow = TimeSpan.FromMinutes(1) },
            time,
            telemetry.Telemetry);
        var late = SignalCodec.Encode(new Signal
        {
            LogGroup = logGroup,
            LogStream = "eni-a-all",
            FirstEventTime = t0 - 300_000,
            LastEventTime = t0 - 1,
            EventCount = 2,
            WindowStart = t0 + (19 * 60_000),
            WindowEnd = t0 + (20 * 60_000),
        });

        (await function.HandleAsync(SqsEvent("88888888-8888-8888-8888-888888888888", late))).Dispose();

        var lateObjects = ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = $"flowlogevents/exports{logGroup}/late/" })).S3Objects ?? [])
            .Where(o => o.Key.EndsWith(".gz", StringComparison.Ordinal)).ToList();
        var lines = new List<string>();
        foreach (var obj in lateObjects)
        {
            using var response = await s3.GetObjectAsync(bucket, obj.Key);
            using var gzip = new System.IO.Compression.GZipStream(response.ResponseStream, System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (await reader.ReadLineAsync() is { Length: > 0 } line)
            {
                lines.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            }
        }

        // Exactly the late range [t0 - 5 min, t0 - 1]. moto 5.2.1 ignores logStreamNamePrefix and exports
        // every stream ("b on time"); CloudWatch Logs exports only eni-a-all (the request carries the prefix:
        // CreateExportTaskRequest_LateReexport_SerializesTheStreamPrefix).
        Assert.Equal(["a late", "a late, last ms", "b on time"], lines.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("a before the late range", lines);
        var checkpoint = (await checkpoints.LoadAsync(logGroup, CancellationToken.None))!.Value;
        Assert.Empty(checkpoint.LateExports);
        Assert.Equal([Checkpoint.LateKey("eni-a-all", t0 - 300_000, t0 - 1, t0 + (20 * 60_000))], checkpoint.LateSeen);
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Someone deletes the checkpoint object right after the function loaded it.</summary>
    private sealed class DeleteBeforeFirstWrite(S3CheckpointStore inner, AmazonS3Client s3, string bucket) : ICheckpointStore
    {
        private bool _deleted;

        public Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct) => inner.LoadAsync(logGroup, ct);

        public async Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct)
        {
            if (!_deleted)
            {
                _deleted = true;
                await s3.DeleteObjectAsync(bucket, inner.KeyOf(checkpoint.LogGroup), ct);
            }

            return await inner.TryWriteAsync(checkpoint, expectedETag, ct);
        }

        public Task<string?> QuarantineAsync(string logGroup, CancellationToken ct) => inner.QuarantineAsync(logGroup, ct);

        public Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct) => inner.MarkExportedAsync(logGroup, at, ct);

        public Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct) => inner.FindExportedMarkerAsync(logGroup, ct);
    }
}
