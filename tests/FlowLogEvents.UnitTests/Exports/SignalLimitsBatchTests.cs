using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;
using static FlowLogEvents.Tests.Support.SqsFixtures;

namespace FlowLogEvents.Tests.Exports;

/// <summary>Signals whose times are out of bounds take the malformed path: no export, no poisoned batch.</summary>
public sealed class SignalLimitsBatchTests : IDisposable
{
    private readonly CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly RecordingQueueSender _deadLetters = new();

    public void Dispose() => _h.Dispose();

    private Task<IReadOnlyList<string>> ProcessAsync(params QueueRecord[] records) =>
        new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry)
            .ProcessAsync(records, CancellationToken.None);

    private static QueueRecord Record(string id, long first, long last, string logGroup) =>
        new(id, SignalCodec.Encode(DataSignal(first, last, T0 - Minute, T0, logGroup)));

    [Fact]
    public async Task ProcessAsync_FirstEventTimeZeroForNewLogGroup_SetAsideAsMalformedWithoutABackfillFrom1970()
    {
        var failed = await ProcessAsync(Record("m-1", 0, T0 - Second, Staging));

        Assert.Empty(failed);
        Assert.Empty(_h.Tasks.Tasks);
        Assert.Null(_h.Store.Get(Staging));
        var dead = Assert.Single(_deadLetters.Sent);
        Assert.StartsWith("signal firstEventTime 0 (1970-01-01T00:00:00.000Z) is more than 30 days before its windowStart", dead.Attributes![ExportBatchProcessor.ErrorAttribute], StringComparison.Ordinal);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.MalformedSignals));
    }

    [Fact]
    public async Task ProcessAsync_LastEventTimeBeyondAnyDate_SetAsideAndTheNextLogGroupExported()
    {
        var failed = await ProcessAsync(Record("m-1", T0 - Minute, 9_000_000_000_000_000_000, Staging), Record("m-2", T0 - (20 * Minute), T0 - (30 * Second), Dev));

        Assert.Empty(failed);
        Assert.Null(_h.Store.Get(Staging));
        Assert.Equal([Dev], _h.Tasks.Tasks.Select(t => t.LogGroup));
        Assert.Equal("m-1", Assert.Single(_deadLetters.Sent).DeduplicationId);
    }
}
