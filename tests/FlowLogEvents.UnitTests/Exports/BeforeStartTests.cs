using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>
/// Events before the checkpoint's start: no export covers them. A later signal can initialise a log group first (a
/// start-over followed by a DLQ replay, a new log group's first batch set aside, a manual run); the earlier signal's
/// events must be exported, not counted as covered.
/// </summary>
public sealed class BeforeStartTests
{
    private const string StreamA = "eni-0a1b2c3d4e5f6000a-all";
    private const string StreamB = "eni-0a1b2c3d4e5f6000b-all";

    /// <summary>The later signal: sent in the minute before T0, events 10-9 min before T0. It starts the log group at T0 - 16 min.</summary>
    private static ExportWork Later() => ExportWork.From(DataSignal(T0 - (10 * Minute), T0 - (9 * Minute), T0 - Minute, T0) with { LogStream = StreamB });

    /// <summary>The earlier signal, replayed: sent 31-30 min before T0, events 40-38 min before T0 (ingested within the settle delay).</summary>
    private static ExportWork Earlier() => ExportWork.From(DataSignal(T0 - (40 * Minute), T0 - (38 * Minute), T0 - (31 * Minute), T0 - (30 * Minute)) with { LogStream = StreamA });

    [Fact]
    public async Task RunAsync_EarlierSignalAfterTheStartNothingExportedYet_MovesTheStartBackAndExportsItsEvents()
    {
        using var h = new CoordinatorHarness();
        await h.RunAsync(Later());
        Assert.Equal((T0 - (16 * Minute), T0 - (16 * Minute) - 1), (h.Checkpoint!.StartTime, h.Checkpoint.ExportedThrough));
        Assert.Empty(h.Tasks.Tasks);

        await h.RunAsync(Earlier());

        // The earlier signal's earliest start: its debounce window's start less the settle delay (T0 - 46 min).
        Assert.Equal((T0 - (46 * Minute), T0 - (46 * Minute) - 1), (h.Checkpoint!.StartTime, h.Checkpoint.ExportedThrough));
        Assert.Equal(new ExportWindow(T0 - (46 * Minute), T0 - (15 * Minute)), Assert.Single(h.Tasks.Tasks).Window);
        Assert.Empty(h.Telemetry.Events(LogEvents.SignalCovered));
        Assert.Empty(h.Telemetry.Events(LogEvents.EventsLate));
    }

    [Fact]
    public async Task RunAsync_EarlierSignalAfterAWindowWasExported_ExportsTheRangeBeforeTheStartForTheWholeLogGroup()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        var later = Later();
        await h.RunAsync(later);
        h.Advance(10 * Minute);
        await h.RunAsync(ExportWork.From(later.Continuation()));
        Assert.Equal(T0 - (5 * Minute), h.Checkpoint!.ExportedThrough);

        var outcome = await h.RunAsync(Earlier());

        // Not a late re-export of one stream: nothing exported [T0 - 46 min, T0 - 16 min) for any stream, so the whole
        // log group goes to the regular prefix, under a regular window's name.
        var before = h.Tasks.Tasks[^1];
        Assert.Equal(new ExportTaskSpec(TaskName(T0 - (46 * Minute), T0 - (16 * Minute) - 1, 1), LogGroup, T0 - (46 * Minute), T0 - (16 * Minute) - 1, Bucket, Destination), before.Spec);
        Assert.Equal(2, h.Tasks.Tasks.Count);
        Assert.Equal(new ExportOutcome(ExportState.Done, "exported through the signalled range", T0 - (5 * Minute)), outcome);
        Assert.Equal(T0 - (46 * Minute), h.Checkpoint!.StartTime);
        Assert.Empty(h.Checkpoint.LateExports);
        Assert.Empty(h.Telemetry.Events(LogEvents.SignalCovered));
    }

    [Fact]
    public async Task RunAsync_ContinuationFromBeforeAStartOver_MovesTheStartBackToItsRange()
    {
        // After a start-over, a continuation set aside while the checkpoint was missing carries a range the old
        // checkpoint had not exported yet; no data signal asks for it again.
        using var h = new CoordinatorHarness();
        await h.RunAsync(Later());

        await h.RunAsync(ExportWork.From(Earlier().Continuation()));

        Assert.Equal((T0 - (46 * Minute), T0 - (46 * Minute) - 1), (h.Checkpoint!.StartTime, h.Checkpoint.ExportedThrough));
        var moved = Assert.Single(h.Telemetry.Events(LogEvents.StartMoved));
        Assert.Equal((T0 - (46 * Minute), T0 - (16 * Minute)), (moved.GetProperty("startTime").GetInt64(), moved.GetProperty("previousStartTime").GetInt64()));
    }

    [Fact]
    public async Task RunAsync_EventsBeforeAFixedExportStart_ReportedAsBeforeTheStartNotAsCovered()
    {
        var start = T0 - (20 * Minute);
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.Fixed, FixedStart = DateTimeOffset.FromUnixTimeMilliseconds(start) });
        await h.RunAsync(Later());

        await h.RunAsync(Earlier());

        // EXPORT_START=<instant> excludes what lies before it by configuration: said so, never taken for exported.
        Assert.Empty(h.Telemetry.Events(LogEvents.SignalCovered));
        var before = Assert.Single(h.Telemetry.Events(LogEvents.SignalBeforeStart));
        Assert.Equal((StreamA, T0 - (40 * Minute), start), (before.GetProperty("logStream").GetString(), before.GetProperty("firstEventTime").GetInt64(), before.GetProperty("startTime").GetInt64()));
        Assert.Equal(start, h.Checkpoint!.StartTime);
    }
}
