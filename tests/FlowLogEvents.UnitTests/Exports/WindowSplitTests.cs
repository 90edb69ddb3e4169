using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>
/// A window that keeps failing is cut, not retried for ever: AWS export tasks "time out after 24 hours. If your
/// export tasks are timing out, reduce the time range" (CloudWatch Logs user guide).
/// </summary>
public sealed class WindowSplitTests
{
    private const string TimedOut = "Export task timed out after 24 hours. Reduce the time range of the export.";

    private static readonly ExportPolicy SixHourWindows = DefaultPolicy with { MaxWindow = TimeSpan.FromHours(6) };

    [Fact]
    public async Task RunAsync_SameWindowFailsTwice_ExportsItsTwoHalvesInOrder()
    {
        using var h = new CoordinatorHarness(SixHourWindows);
        var from = T0 - (8 * Hour);
        var to = T0 - (2 * Hour) - 1;
        var mid = from + (3 * Hour) - 1;
        h.SeedExportedThrough(from - 1);
        var work = Work(first: T0 - (20 * Minute));

        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, TimedOut);
        h.Advance(Minute);
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0002", ExportTaskStatus.Failed, TimedOut);
        h.Advance(Minute);
        await h.RunAsync(work);

        Assert.Equal(
            [new ExportWindow(from, to), new ExportWindow(from, to), new ExportWindow(from, mid)],
            h.Tasks.Tasks.Select(t => t.Window));
        Assert.Equal(TaskName(from, mid, 1), h.Tasks.Tasks[2].TaskName);
        Assert.Equal(from - 1, h.Checkpoint!.ExportedThrough);

        // The first half completes; the second half is exported next, then planning goes on from its end.
        h.Tasks.SetStatus("task-0003", ExportTaskStatus.Completed);
        h.Advance(Minute);
        await h.RunAsync(work);
        Assert.Equal(mid, h.Checkpoint!.ExportedThrough);
        h.Tasks.SetStatus("task-0004", ExportTaskStatus.Completed);
        h.Advance(Minute);
        await h.RunAsync(work);

        Assert.Equal(
            [new ExportWindow(mid + 1, to), new ExportWindow(to + 1, T0 - (11 * Minute))],
            h.Tasks.Tasks.Skip(3).Select(t => t.Window));
        Assert.Equal(TaskName(mid + 1, to, 1), h.Tasks.Tasks[3].TaskName);
        Assert.Equal(to, h.Checkpoint!.ExportedThrough);
        Assert.Equal(5, h.Checkpoint.ExportsCompleted);
    }

    [Fact]
    public async Task RunAsync_TasksLongerThanAnHourAlwaysFail_ExportsTheBacklogWithNoRangeTriedMoreThanTwice()
    {
        using var h = new CoordinatorHarness(SixHourWindows);
        var start = T0 - (8 * Hour);
        h.SeedExportedThrough(start - 1);
        var work = Work(first: T0 - (20 * Minute));

        ExportOutcome? outcome = null;
        for (var run = 0; run < 80 && outcome?.State != ExportState.Done; run++)
        {
            outcome = await h.RunAsync(work);
            foreach (var task in h.Tasks.Tasks.Where(t => t.Status == ExportTaskStatus.Pending))
            {
                var tooLong = task.Window.To - task.Window.From + 1 > Hour;
                h.Tasks.SetStatus(task.TaskId, tooLong ? ExportTaskStatus.Failed : ExportTaskStatus.Completed, tooLong ? TimedOut : null);
            }

            h.Advance(Minute);
        }

        Assert.Equal(2, h.Tasks.Tasks.GroupBy(t => t.Window).Max(g => g.Count()));
        Assert.Equal(ExportState.Done, outcome!.State);
        var completed = h.Tasks.Tasks.Where(t => t.Status == ExportTaskStatus.Completed).Select(t => t.Window).ToList();
        Assert.Equal(start, completed[0].From);
        Assert.All(completed.Zip(completed.Skip(1)), pair => Assert.Equal(pair.First.To + 1, pair.Second.From));
        Assert.Equal(completed[^1].To, h.Checkpoint!.ExportedThrough);
        Assert.True(h.Checkpoint.ExportedThrough >= T0 - 1);
        Assert.All(completed, w => Assert.True(w.To - w.From + 1 <= Hour));
    }

    // ---- the pure decision ----------------------------------------------------------------------

    [Theory]
    [InlineData(0, 9, 0, 4, 5, 9)]
    [InlineData(0, 10, 0, 5, 6, 10)]
    [InlineData(1_000, 1_001, 1_000, 1_000, 1_001, 1_001)]
    public void Split_Window_ContiguousHalvesFirstTakesTheOddMillisecond(long from, long to, long firstFrom, long firstTo, long secondFrom, long secondTo)
    {
        var halves = WindowPlanner.Split(new ExportWindow(from, to), TimeSpan.Zero);

        Assert.Equal((new ExportWindow(firstFrom, firstTo), new ExportWindow(secondFrom, secondTo)), halves);
    }

    [Fact]
    public void Split_SecondHalfShorterThanTheFloor_ReturnsNull()
    {
        var floor = TimeSpan.FromMinutes(1);

        Assert.Equal((new ExportWindow(0, Minute - 1), new ExportWindow(Minute, (2 * Minute) - 1)), WindowPlanner.Split(new ExportWindow(0, (2 * Minute) - 1), floor));
        Assert.Null(WindowPlanner.Split(new ExportWindow(0, (2 * Minute) - 2), floor));
        Assert.Null(WindowPlanner.Split(new ExportWindow(5, 5), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(1, FailedWindowAction.Retry)]
    [InlineData(2, FailedWindowAction.Split)]
    [InlineData(3, FailedWindowAction.Split)]
    public void Decide_SixHourWindow_RetriesOnceThenSplits(int failures, FailedWindowAction action)
    {
        var window = new ExportWindow(T0, T0 + (6 * Hour) - 1);

        var decision = FailedWindowDecision.Decide(window, failures, SixHourWindows);

        Assert.Equal(action, decision.Action);
        Assert.Equal(action == FailedWindowAction.Retry ? window : new ExportWindow(T0, T0 + (3 * Hour) - 1), decision.Next);
        Assert.Equal(action == FailedWindowAction.Retry ? null : new ExportWindow(T0 + (3 * Hour), T0 + (6 * Hour) - 1), decision.SecondHalf);
    }

    [Fact]
    public void Decide_WindowAtTheFloorFailedAgain_RetriesItAtTheFloor()
    {
        var window = new ExportWindow(T0, T0 + (90 * Second) - 1);

        var decision = FailedWindowDecision.Decide(window, 5, SixHourWindows);

        Assert.Equal(new FailedWindowDecision(FailedWindowAction.RetryAtFloor, window, null), decision);
    }

    [Fact]
    public void Defaults_SplitAfterTwoFailuresDownToOneMinuteWindowsOfAtMostSixHours()
    {
        var policy = new ExportPolicy { ExportBucket = Bucket, ExportPrefix = Prefix };

        Assert.Equal((2, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6)), (policy.FailuresBeforeSplit, policy.MinSplitWindow, policy.MaxWindow));
    }

    // ---- the coordinator ------------------------------------------------------------------------

    [Fact]
    public async Task RunAsync_WindowSplit_LogsTheDecisionAndCountsIt()
    {
        using var h = new CoordinatorHarness(SixHourWindows);
        var from = T0 - (8 * Hour);
        h.SeedExportedThrough(from - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, TimedOut);
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0002", ExportTaskStatus.Cancelled);

        await h.RunAsync(work);

        var split = Assert.Single(h.Telemetry.Events(LogEvents.WindowSplit));
        Assert.Equal("WARN", split.GetProperty("level").GetString());
        Assert.Equal((from, T0 - (2 * Hour) - 1, 2), (split.GetProperty("from").GetInt64(), split.GetProperty("to").GetInt64(), split.GetProperty("failures").GetInt32()));
        Assert.Equal((from + (3 * Hour) - 1, from + (3 * Hour)), (split.GetProperty("firstHalfTo").GetInt64(), split.GetProperty("secondHalfFrom").GetInt64()));
        Assert.Equal(TaskName(from, from + (3 * Hour) - 1, 1), split.GetProperty("nextTaskName").GetString());
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportWindowsSplit));
        Assert.Equal([1.0, 1.0], h.Telemetry.MetricValues(MetricNames.ExportsFailed));
        Assert.Empty(h.Telemetry.MetricValues(MetricNames.ExportWindowFloorFailures));
        var checkpoint = h.Checkpoint!;
        Assert.Equal(new ExportWindow(from, from + (3 * Hour) - 1), new ExportWindow(checkpoint.InFlight!.From, checkpoint.InFlight.To));
        Assert.Equal(1, checkpoint.InFlight.Attempt);
        Assert.Equal([new ExportWindow(from + (3 * Hour), T0 - (2 * Hour) - 1)], checkpoint.RemainingWindows);
    }

    [Fact]
    public async Task RunAsync_WindowAtTheFloorFailsAgain_RetriesTheSameRangeAndAlarms()
    {
        using var h = new CoordinatorHarness(SixHourWindows);
        var from = T0 - (20 * Minute);
        var to = from + (90 * Second) - 1;
        h.Store.Put(new Checkpoint
        {
            LogGroup = LogGroup,
            StartTime = T0 - Day,
            ExportedThrough = from - 1,
            InFlight = new InFlightExport { TaskName = TaskName(from, to, 2), From = from, To = to, Attempt = 2, PlannedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour) },
            RemainingWindows = [new ExportWindow(to + 1, to + Minute)],
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
        });
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, "Access Denied");

        await h.RunAsync(work);

        Assert.Equal([new ExportWindow(from, to), new ExportWindow(from, to)], h.Tasks.Tasks.Select(t => t.Window));
        Assert.Equal(TaskName(from, to, 3), h.Tasks.Tasks[1].TaskName);
        Assert.Equal([new ExportWindow(to + 1, to + Minute)], h.Checkpoint!.RemainingWindows);
        var floor = Assert.Single(h.Telemetry.Events(LogEvents.WindowFloorFailed));
        Assert.Equal("ERROR", floor.GetProperty("level").GetString());
        Assert.Equal((from, to, 2, "Access Denied"), (floor.GetProperty("from").GetInt64(), floor.GetProperty("to").GetInt64(), floor.GetProperty("failures").GetInt32(), floor.GetProperty("statusMessage").GetString()));
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportWindowFloorFailures));
        Assert.Empty(h.Telemetry.MetricValues(MetricNames.ExportWindowsSplit));
    }

    [Fact]
    public async Task RunAsync_AfterASplitWrittenButBeforeItsTaskWasCreated_CreatesTheFirstHalfOnceByItsName()
    {
        using var h = new CoordinatorHarness(SixHourWindows);
        var from = T0 - (8 * Hour);
        var mid = from + (3 * Hour) - 1;
        var to = T0 - (2 * Hour) - 1;

        // A runner wrote the split, then died before CreateExportTask.
        h.Store.Put(new Checkpoint
        {
            LogGroup = LogGroup,
            StartTime = T0 - Day,
            ExportedThrough = from - 1,
            InFlight = new InFlightExport { TaskName = TaskName(from, mid, 1), From = from, To = mid, Attempt = 1, PlannedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Minute) },
            RemainingWindows = [new ExportWindow(mid + 1, to)],
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Minute),
        });
        var work = Work(first: T0 - (20 * Minute));

        await h.RunAsync(work);
        await h.RunAsync(work);

        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportTaskSpec(TaskName(from, mid, 1), LogGroup, from, mid, Bucket, Destination), task.Spec);
        Assert.Equal("task-0001", h.Checkpoint!.InFlight!.TaskId);
        Assert.Equal([new ExportWindow(mid + 1, to)], h.Checkpoint.RemainingWindows);
    }
}
