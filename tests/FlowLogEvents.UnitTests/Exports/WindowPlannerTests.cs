using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Exports;

public sealed class WindowPlannerTests
{
    private const long Minute = 60_000;
    private const long Day = 24 * 60 * Minute;
    private const long Now = 1_795_705_200_000; // 2026-11-26T15:00:00Z

    private static readonly ExportPolicy Policy = new()
    {
        ExportBucket = "archive",
        ExportPrefix = "exports",
        SettleDelay = TimeSpan.FromMinutes(15),
        MinWindow = TimeSpan.FromMinutes(5),
        MaxWindow = TimeSpan.FromDays(1),
    };

    [Fact]
    public void Plan_AfterCheckpoint_StartsOneMillisecondAfterExportedThrough()
    {
        var exportedThrough = Now - (60 * Minute);

        var window = WindowPlanner.Plan(exportedThrough, Now, Now, Policy);

        Assert.Equal(new ExportWindow(exportedThrough + 1, Now - (15 * Minute)), window);
    }

    [Fact]
    public void Plan_SettledData_EndsExactlyAtNowMinusSettleDelayInclusive()
    {
        var window = WindowPlanner.Plan(Now - (30 * Minute), Now, Now, Policy);

        Assert.NotNull(window);
        Assert.Equal(Now - (15 * Minute), window.Value.To);
        Assert.Equal(15 * Minute, window.Value.To - window.Value.From + 1);
    }

    [Fact]
    public void Plan_ConsecutiveWindows_AreContiguousWithoutOverlap()
    {
        var start = Now - (3 * Day);
        var exportedThrough = start - 1;
        var windows = new List<ExportWindow>();
        while (WindowPlanner.Plan(exportedThrough, Now, Now, Policy) is { } w)
        {
            windows.Add(w);
            exportedThrough = w.To;
        }

        Assert.Equal(
            [
                new ExportWindow(start, start + Day - 1),
                new ExportWindow(start + Day, start + (2 * Day) - 1),
                new ExportWindow(start + (2 * Day), Now - (15 * Minute)),
            ],
            windows);
    }

    [Fact]
    public void Plan_NothingSettledYet_ReturnsNull()
    {
        // Everything after the checkpoint is younger than the settle delay.
        var exportedThrough = Now - (15 * Minute);

        Assert.Null(WindowPlanner.Plan(exportedThrough, Now, Now, Policy));
    }

    [Fact]
    public void Plan_SettledEndOneMillisecondBeforeFrom_ReturnsNull()
    {
        Assert.Null(WindowPlanner.Plan(Now - (15 * Minute), Now - (15 * Minute) + 1, Now, Policy));
    }

    [Fact]
    public void Plan_ShorterThanMinWindowButCompletesTarget_ReturnsWindow()
    {
        var exportedThrough = Now - (20 * Minute);
        var target = Now - (18 * Minute);

        var window = WindowPlanner.Plan(exportedThrough, target, Now, Policy);

        // Ends at the settled edge, which is past the target: the target is completed.
        Assert.Equal(new ExportWindow(exportedThrough + 1, Now - (15 * Minute)), window);
    }

    [Fact]
    public void Plan_ShorterThanMinWindowAndTargetNotReached_ReturnsNull()
    {
        // Settled part: 4 minutes; the target lies beyond it.
        var exportedThrough = Now - (19 * Minute);

        Assert.Null(WindowPlanner.Plan(exportedThrough, Now - 1, Now, Policy));
    }

    [Fact]
    public void Plan_ExactlyMinWindowLong_ReturnsWindow()
    {
        var exportedThrough = Now - (20 * Minute);

        Assert.Equal(new ExportWindow(exportedThrough + 1, Now - (15 * Minute)), WindowPlanner.Plan(exportedThrough, Now - 1, Now, Policy));
    }

    [Fact]
    public void Plan_OneMillisecondShortOfMinWindow_ReturnsNull()
    {
        var exportedThrough = Now - (20 * Minute) + 1;

        Assert.Null(WindowPlanner.Plan(exportedThrough, Now - 1, Now, Policy));
    }

    [Fact]
    public void Plan_BacklogLongerThanMaxWindow_SplitsAtMaxWindow()
    {
        var exportedThrough = Now - (5 * Day);

        var window = WindowPlanner.Plan(exportedThrough, Now - 1, Now, Policy);

        Assert.Equal(new ExportWindow(exportedThrough + 1, exportedThrough + Day), window);
    }

    [Fact]
    public void Plan_TargetAlreadyExported_ReturnsNull()
    {
        var exportedThrough = Now - (60 * Minute);

        Assert.Null(WindowPlanner.Plan(exportedThrough, exportedThrough, Now, Policy));
        Assert.Null(WindowPlanner.Plan(exportedThrough, exportedThrough - Day, Now, Policy));
    }

    [Fact]
    public void Plan_ZeroSettleDelay_EndsAtNow()
    {
        var policy = Policy with { SettleDelay = TimeSpan.Zero };

        Assert.Equal(new ExportWindow(Now - (10 * Minute) + 1, Now), WindowPlanner.Plan(Now - (10 * Minute), Now, Now, policy));
    }
}
