using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;
using static FlowLogEvents.Tests.Support.SqsFixtures;

namespace FlowLogEvents.Tests.Exports;

/// <summary>
/// Work set aside to the dead-letter queue keeps everything its records asked for: one message per record, its
/// body and id, so a replay (docs/operations.md, "Replay the dead-letter queue") brings back every stream's range, and a
/// redelivered batch that carries one more record sets that record aside too.
/// </summary>
public sealed class SetAsideDetailTests : IDisposable
{
    private readonly CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly DeduplicatingQueueSender _deadLetters;

    public SetAsideDetailTests()
    {
        _deadLetters = new DeduplicatingQueueSender(_h.Time);
    }

    public void Dispose() => _h.Dispose();

    private static QueueRecord Record(string id, string stream, long first, long last, long windowStart) =>
        new(id, SignalCodec.Encode(DataSignal(first, last, windowStart, windowStart + Minute, Staging) with { LogStream = stream }));

    private static readonly QueueRecord[] ThreeStreams =
    [
        Record("5c1f2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b01", "eni-0b2c3d4e5f6a70001-all", T0 - (25 * Minute), T0 - (3 * Minute), T0 - (3 * Minute)),
        Record("5c1f2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b02", "eni-0b2c3d4e5f6a70002-all", T0 - (40 * Minute), T0 - (38 * Minute), T0 - (2 * Minute)),
        Record("5c1f2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b03", "eni-0b2c3d4e5f6a70003-all", T0 - (12 * Minute), T0 - (90 * Second), T0 - Minute),
    ];

    private Task<IReadOnlyList<string>> ProcessAsync(IReadOnlyList<QueueRecord> records) =>
        new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry)
            .ProcessAsync(records, CancellationToken.None);

    private void PoisonStaging() => _h.Store.PutRaw(Staging, "{ this is not a checkpoint"u8.ToArray());

    [Fact]
    public async Task ProcessAsync_MergedWorkSetAside_SendsEveryRecordWithItsOwnBodyAndId()
    {
        PoisonStaging();

        var failed = await ProcessAsync(ThreeStreams);

        Assert.Empty(failed);
        Assert.Equal(ThreeStreams.Select(r => (r.Body!, r.MessageId, r.MessageId)), _deadLetters.Accepted.Select(m => (m.Body, m.DeduplicationId, m.Attributes![ExportBatchProcessor.SourceMessageAttribute])));
        Assert.All(_deadLetters.Accepted, m => Assert.StartsWith("CheckpointFormatException: checkpoint of '/aws/vpc/flow-logs/staging' is unreadable", m.Attributes![ExportBatchProcessor.SetAsideAttribute], StringComparison.Ordinal));
        Assert.All(_deadLetters.Accepted, m => Assert.False(m.Attributes!.ContainsKey(ExportBatchProcessor.ErrorAttribute)));
        var setAside = Assert.Single(_h.Telemetry.Events(LogEvents.WorkSetAside));
        Assert.Equal(3, setAside.GetProperty("records").GetInt32());
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.WorkSetAside));
    }

    [Fact]
    public async Task ProcessAsync_SetAsideWorkReplayed_AsksForEveryStreamsRangeAgain()
    {
        PoisonStaging();
        await ProcessAsync(ThreeStreams);
        var original = ThreeStreams.Skip(1).Aggregate(ExportWork.From(SignalCodec.Decode(ThreeStreams[0].Body)), (w, r) => w.Merge(SignalCodec.Decode(r.Body)));

        // The replay of docs/operations.md: each DLQ body back on the signal queue, as one batch.
        var replayed = _deadLetters.Accepted.Select(m => SignalCodec.Decode(m.Body)).ToList();
        var work = replayed.Skip(1).Aggregate(ExportWork.From(replayed[0]), (w, s) => w.Merge(s));

        Assert.Equal(original.DataRanges, work.DataRanges);
        Assert.Equal(
            [("eni-0b2c3d4e5f6a70001-all", T0 - (25 * Minute), T0 - (3 * Minute), T0 - (2 * Minute)), ("eni-0b2c3d4e5f6a70002-all", T0 - (40 * Minute), T0 - (38 * Minute), T0 - Minute), ("eni-0b2c3d4e5f6a70003-all", T0 - (12 * Minute), T0 - (90 * Second), T0)],
            work.DataRanges.Select(r => (r.LogStream, r.First, r.Last, r.IngestedBy)));
        Assert.Equal(original.Merged, work.Merged);
    }

    [Fact]
    public async Task ProcessAsync_RedeliveredWithOneMoreRecord_SetsAsideThatRecordToo()
    {
        PoisonStaging();
        await ProcessAsync(ThreeStreams[..2]);
        _h.Advance(30 * Second);

        // The same two records again (the delete was lost) with the third: within SQS's 5-minute deduplication interval.
        await ProcessAsync(ThreeStreams);

        Assert.Equal(ThreeStreams.Select(r => r.Body!), _deadLetters.Accepted.Select(m => m.Body));
    }
}
