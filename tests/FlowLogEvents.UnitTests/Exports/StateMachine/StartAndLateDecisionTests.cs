using FlowLogEvents.Exports;
using FlowLogEvents.Exports.StateMachine;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports.StateMachine;

/// <summary>The state machine's pure decisions before the slot turn: an earlier start, and which late ranges are queued.</summary>
public sealed class StartAndLateDecisionTests
{
    private const string Stream = "eni-0a1b2c3d4e5f67890-all";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(T0);
    private static readonly ExportPolicy Reexport = DefaultPolicy with { LateEvents = LateEventsMode.Reexport };

    private static readonly Checkpoint Started = new()
    {
        LogGroup = LogGroup,
        StartTime = T0 - Hour,
        ExportedThrough = T0 - Hour - 1,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
    };

    [Fact]
    public void EarlierStart_NothingExportedYet_MovesStartAndExportedThroughBackTogether()
    {
        var work = Work(first: T0 - (2 * Hour));

        var moved = new ExportStateMachine(DefaultPolicy).EarlierStart(work, Started, Now);

        var earliest = work.EarliestStart(DefaultPolicy.SettleDelay);
        Assert.Equal(Started with { StartTime = earliest, ExportedThrough = earliest - 1, UpdatedAt = Now }, moved);
    }

    [Fact]
    public void EarlierStart_SomethingExported_QueuesTheRangeBeforeTheStartUnderARegularName()
    {
        var exported = Started with { ExportedThrough = T0 - (30 * Minute) };
        var work = Work(first: T0 - (2 * Hour));

        var moved = new ExportStateMachine(DefaultPolicy).EarlierStart(work, exported, Now);

        var earliest = work.EarliestStart(DefaultPolicy.SettleDelay);
        var before = new InFlightExport { TaskName = TaskName(earliest, T0 - Hour - 1, 1), From = earliest, To = T0 - Hour - 1, Attempt = 1, PlannedAt = Now, Unsent = true };
        Assert.Equal(exported with { StartTime = earliest, LateExports = [before], UpdatedAt = Now }, moved);
    }

    [Theory]
    [InlineData(StartMode.FirstSignal, 30)]
    [InlineData(StartMode.LogGroupCreation, 30)]
    [InlineData(StartMode.Fixed, 180)]
    public void EarlierStart_NoEventBeforeTheStartOrAFixedStart_Null(StartMode mode, long firstMinutesAgo)
    {
        var machine = new ExportStateMachine(DefaultPolicy with { StartMode = mode, FixedStart = mode == StartMode.Fixed ? Now - TimeSpan.FromHours(1) : null });

        Assert.Null(machine.EarlierStart(Work(first: T0 - (firstMinutesAgo * Minute)), Started with { StartTime = T0 - (2 * Hour) }, Now));
    }

    [Fact]
    public void QueueLate_ReportMode_ReportsOnlyAndQueuesNothing()
    {
        var (queued, actions) = new ExportStateMachine(DefaultPolicy).QueueLate(Started, [Range(T0)], Now);

        Assert.Null(queued);
        Assert.Equal(["reported only: these events are not in the exports (LATE_EVENTS=report)"], actions);
    }

    [Fact]
    public void QueueLate_Reexport_QueuesTheRangeUnsentAndRemembersItsKey()
    {
        var range = Range(T0);

        var (queued, actions) = new ExportStateMachine(Reexport).QueueLate(Started, [range], Now);

        var export = new InFlightExport
        {
            LogStream = Stream,
            TaskName = Reexport.LateTaskName(LogGroup, Stream, range.From, range.To, range.IngestedBy, 1),
            From = range.From,
            To = range.To,
            Attempt = 1,
            PlannedAt = Now,
            Unsent = true,
            IngestedBy = range.IngestedBy,
        };
        Assert.Equal(Started with { LateExports = [export], LateSeen = [range.Key!], UpdatedAt = Now }, queued);
        Assert.Equal(["re-export of the stream's late range queued (LATE_EVENTS=reexport)"], actions);
    }

    [Fact]
    public void QueueLate_SignalQueuedBeforeOrWithoutStream_QueuesNothing()
    {
        var seen = Range(T0);
        var noStream = new LateRange(null, T0 - (70 * Minute), T0 - (65 * Minute), T0, null);

        var (queued, actions) = new ExportStateMachine(Reexport).QueueLate(Started with { LateSeen = [seen.Key!] }, [seen, noStream], Now);

        Assert.Null(queued);
        Assert.Equal(
            [
                "not queued again: this signal's re-export was queued before (a redelivered or replayed signal)",
                "reported only: the signal names no log stream to re-export, these events are not in the exports",
            ],
            actions);
    }

    [Fact]
    public void QueueLate_RangeInsideAnUnclaimedQueuedReexport_RemembersTheKeyWithoutQueueing()
    {
        var (first, _) = new ExportStateMachine(Reexport).QueueLate(Started, [Range(T0)], Now);
        var second = Range(T0 + Minute);

        var (queued, actions) = new ExportStateMachine(Reexport).QueueLate(first!, [second], Now);

        Assert.Equal(first! with { LateSeen = [Range(T0).Key!, second.Key!] }, queued);
        Assert.Equal(["not queued again: a queued re-export of this stream, not started yet, covers the range"], actions);
    }

    private static LateRange Range(long ingestedBy) =>
        new(Stream, T0 - (70 * Minute), T0 - (65 * Minute), ingestedBy, Checkpoint.LateKey(Stream, T0 - (70 * Minute), T0 - (65 * Minute), ingestedBy));
}
