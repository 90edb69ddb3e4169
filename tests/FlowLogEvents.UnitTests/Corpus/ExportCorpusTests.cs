using System.Text;
using System.Text.Json;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;
using static FlowLogEvents.Tests.Support.SqsFixtures;

namespace FlowLogEvents.Tests.Corpus;

/// <summary>
/// The SQS record and checkpoint cases of Fixtures/corpus through the real export handler (in-memory
/// fakes behind it): each bad input is set aside to the dead-letter queue with an error naming it,
/// the rest of the batch is processed, and no checkpoint is overwritten.
/// </summary>
public sealed class ExportCorpusTests : IDisposable
{
    private readonly Exports.CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly RecordingQueueSender _deadLetters = new();
    private readonly ExportFunction _function;

    public ExportCorpusTests()
    {
        _function = new ExportFunction(_h.Store, _h.Tasks, _signals, _deadLetters, _h.Policy, _h.Time, _h.Telemetry.Telemetry);
    }

    public static TheoryData<string> SqsCases => CorpusManifest.Names("sqs");

    public static TheoryData<string> CheckpointCases => CorpusManifest.Names("checkpoints");

    public void Dispose() => _h.Dispose();

    /// <summary>A fresh data signal asking for everything up to T0 - 1.</summary>
    public static string GoodBody(string logGroup) => SignalCodec.Encode(DataSignal(T0 - (20 * Minute), T0 - (30 * Second), T0 - Minute, T0, logGroup));

    private void SeedDone(string logGroup) => _h.Store.Put(new Checkpoint
    {
        LogGroup = logGroup,
        StartTime = T0 - Day,
        ExportedThrough = T0,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0),
    });

    private async Task<IReadOnlyList<string>> InvokeAsync(params (string MessageId, string? Body)[] records)
    {
        var json = JsonSerializer.Serialize(new
        {
            Records = records.Select(r => new { messageId = r.MessageId, body = r.Body, eventSource = "aws:sqs" }),
        });
        using var output = await _function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        using var response = await JsonDocument.ParseAsync(output);
        return response.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();
    }

    [Theory]
    [MemberData(nameof(SqsCases))]
    public async Task HandleAsync_BadSqsRecordBetweenGoodOnes_SetAsideWithItsErrorAndTheOthersProcessed(string name)
    {
        var c = CorpusManifest.Case("sqs", name);
        var body = CorpusManifest.StringOrNull(c, "generate") == "oversized"
            ? GoodBody(Prod).PadRight(200 * 1024)
            : Encoding.UTF8.GetString(CorpusManifest.FileBytes("sqs", c));
        SeedDone(Prod);
        SeedDone(Dev);
        var prodBefore = _h.Store.RawOf(Prod);

        var failed = await InvokeAsync(("m-1", GoodBody(Prod)), ("m-2", body), ("m-3", GoodBody(Dev)));

        Assert.Empty(failed);
        var dead = Assert.Single(_deadLetters.Sent);
        Assert.Equal(body.Length == 0 ? "(empty)" : body, dead.Body);
        Assert.Equal(c.GetProperty("error").GetString(), dead.Attributes![ExportBatchProcessor.ErrorAttribute]);
        Assert.Equal("m-2", dead.Attributes[ExportBatchProcessor.SourceMessageAttribute]);
        Assert.Equal("m-2", dead.DeduplicationId);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.MalformedSignals));
        Assert.Equal(c.GetProperty("error").GetString(), Assert.Single(_h.Telemetry.Events(LogEvents.SignalMalformed)).GetProperty("reason").GetString());
        // The good records around it were processed (both log groups are done), nothing was rewritten.
        Assert.Equal([Prod, Dev], _h.Telemetry.Events(LogEvents.ExportDone).Select(e => e.GetProperty("logGroup").GetString()));
        Assert.Equal(prodBefore, _h.Store.RawOf(Prod));
        Assert.Empty(_signals.Sent);
    }

    [Theory]
    [MemberData(nameof(CheckpointCases))]
    public async Task HandleAsync_UnreadableCheckpoint_QuarantinedLeftInPlaceAndWorkSetAside(string name)
    {
        var c = CorpusManifest.Case("checkpoints", name);
        var bytes = CorpusManifest.FileBytes("checkpoints", c);
        var etag = _h.Store.PutRaw(Staging, bytes);
        SeedDone(Prod);
        var copy = InMemoryCheckpointStore.QuarantineKeyOf(Staging, etag);

        var failed = await InvokeAsync(("m-1", GoodBody(Staging)), ("m-2", GoodBody(Prod)));

        Assert.Empty(failed);
        var dead = Assert.Single(_deadLetters.Sent);
        Assert.Equal(GoodBody(Staging), dead.Body);
        Assert.Equal($"CheckpointFormatException: {c.GetProperty("error").GetString()} (copy kept at {copy})", dead.Attributes![ExportBatchProcessor.SetAsideAttribute]);
        Assert.Equal("m-1", dead.Attributes[ExportBatchProcessor.SourceMessageAttribute]);
        // Never overwritten by a guess: the object is the same bytes with the same version; a copy is kept aside.
        Assert.Equal(bytes, _h.Store.RawOf(Staging));
        Assert.Equal(etag, _h.Store.ETagOf(Staging));
        Assert.Equal(bytes, Assert.Single(_h.Store.Quarantined, q => q.Key == copy).Value);
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.CheckpointsQuarantined));
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.WorkSetAside));
        var quarantined = Assert.Single(_h.Telemetry.Events(LogEvents.CheckpointQuarantined));
        Assert.Equal((Staging, copy), (quarantined.GetProperty("logGroup").GetString(), quarantined.GetProperty("quarantineCopy").GetString()));
        // The other log group in the batch went on.
        Assert.Equal(Prod, Assert.Single(_h.Telemetry.Events(LogEvents.ExportDone)).GetProperty("logGroup").GetString());
    }

    [Fact]
    public async Task HandleAsync_UnreadableCheckpointSeenTwice_KeepsOneQuarantineCopyAndSetsAsideBoth()
    {
        var bytes = CorpusManifest.FileBytes("checkpoints", CorpusManifest.Case("checkpoints", "truncated-json"));
        _h.Store.PutRaw(Staging, bytes);

        await InvokeAsync(("m-1", GoodBody(Staging)));
        await InvokeAsync(("m-2", GoodBody(Staging)));

        Assert.Single(_h.Store.Quarantined);
        Assert.Equal(["m-1", "m-2"], _deadLetters.Sent.Select(m => m.DeduplicationId));
        Assert.Equal(bytes, _h.Store.RawOf(Staging));
    }
}
