using FlowLogEvents.Exports;
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
}
