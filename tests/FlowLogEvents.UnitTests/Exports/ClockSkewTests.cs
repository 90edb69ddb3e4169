using FlowLogEvents.Exports;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>
/// The export function's clock may be off CloudWatch's by a few minutes (the tests' ManualTimeProvider
/// plays the function's clock; "cloud time" is T0). The CLOCK_SKEW_SECONDS margin keeps the settle
/// delay honest in cloud time and keeps a signal's trailing edge when the signal function's clock is behind.
/// </summary>
public sealed class ClockSkewTests
{
    /// <summary>
    /// Our clock runs 2 minutes ahead of CloudWatch's. Without a margin the window would end 13 minutes
    /// behind cloud time, before events 13-15 minutes late are ingested; with a 2-minute margin it ends
    /// exactly the settle delay behind cloud time.
    /// </summary>
    [Theory]
    [InlineData(0, 13)]
    [InlineData(2, 15)]
    public async Task RunAsync_ClockTwoMinutesAhead_WindowEndsSettleDelayPlusMarginBehindOurClock(int skewMinutes, int minutesBehindCloud)
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { ClockSkewMargin = TimeSpan.FromMinutes(skewMinutes) });
        h.Advance(2 * Minute);
        h.SeedExportedThrough(T0 - Hour);

        await h.RunAsync(Work(first: T0 - Hour + 1));

        Assert.Equal(T0 - (minutesBehindCloud * Minute), Assert.Single(h.Tasks.Tasks).Window.To);
    }

    /// <summary>
    /// The signal function's clock ran a minute behind CloudWatch's: events it saw during its debounce
    /// window [T0 - 1 min, T0) can be stamped up to T0 + 1 min. With the margin the work is only done
    /// once that minute is exported too.
    /// </summary>
    [Theory]
    [InlineData(0, ExportState.Done, 0)]
    [InlineData(1, ExportState.Waiting, 1)]
    public async Task RunAsync_CheckpointAtWindowEnd_DoneOnlyWithoutSkewMargin(int skewMinutes, ExportState expected, int tasks)
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { ClockSkewMargin = TimeSpan.FromMinutes(skewMinutes) });
        h.Advance(30 * Minute);
        h.SeedExportedThrough(T0 - 1);
        var work = ExportWork.From(DataSignal(T0 - (2 * Minute), T0 - (90 * 1000), T0 - Minute, T0));

        var outcome = await h.RunAsync(work);

        Assert.Equal(expected, outcome.State);
        Assert.Equal(tasks, h.Tasks.Tasks.Count);
        Assert.Equal(T0 - 1 + (skewMinutes * Minute), work.Target(TimeSpan.FromMinutes(skewMinutes)));
    }

    [Fact]
    public async Task RunAsync_FirstSignalStart_ReachesBackSettleDelayPlusMarginBeforeItsWindow()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { ClockSkewMargin = TimeSpan.FromMinutes(2) });

        await h.RunAsync(Work(first: T0 - (5 * Minute)));

        Assert.Equal(T0 - Minute - (17 * Minute), h.Checkpoint!.StartTime);
    }
}
