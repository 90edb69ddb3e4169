using FlowLogEvents.Exports;
using FlowLogEvents.Exports.Settling;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Verification;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

public sealed class SettleLearnerTests
{
    private static readonly ExportPolicy Learning = DefaultPolicy with { LearnSettleDelay = true, ClockSkewMargin = TimeSpan.FromMinutes(1) };

    private static List<DeliveryLagSample> Lags(params long[] minutes) =>
        minutes.Select((m, i) => new DeliveryLagSample(T0 + (i * Minute), m * Minute)).ToList();

    [Fact]
    public void SettleDelay_FewerThanSixteenLags_IsTheConfiguredDelay()
    {
        Assert.Equal(TimeSpan.FromMinutes(15), SettleLearner.SettleDelay(Lags([.. Enumerable.Repeat(3L, 15)]), Learning));
    }

    [Fact]
    public void SettleDelay_SixteenLags_IsTheirNinetyFifthPercentilePlusAMinute()
    {
        // 16 lags: the 95th percentile (nearest rank) is the largest.
        Assert.Equal(TimeSpan.FromMinutes(8), SettleLearner.SettleDelay(Lags([.. Enumerable.Repeat(3L, 15), 7]), Learning));
    }

    [Fact]
    public void SettleDelay_ManyLags_IgnoresTheLargestFivePercentAndStaysWithinTheBounds()
    {
        var lags = Lags([.. Enumerable.Repeat(5L, 63), 60]);

        Assert.Equal(TimeSpan.FromMinutes(6), SettleLearner.SettleDelay(lags, Learning));
        Assert.Equal(SettleLearner.MinSettleDelay, SettleLearner.SettleDelay(Lags([.. Enumerable.Repeat(0L, 20)]), Learning));
        Assert.Equal(TimeSpan.FromMinutes(15), SettleLearner.SettleDelay(Lags([.. Enumerable.Repeat(40L, 20)]), Learning));
        Assert.Equal(TimeSpan.FromMinutes(15), SettleLearner.SettleDelay(Lags([.. Enumerable.Repeat(3L, 20)]), Learning with { LearnSettleDelay = false }));
    }

    [Fact]
    public void Samples_DataRanges_LagOfEachBelowTheConfiguredDelayMinusSkew()
    {
        var work = ExportWork.From(DataSignal(T0 - (13 * Minute), T0 - (12 * Minute), T0 - Minute, T0))
            .Merge(DataSignal(T0 - (14 * Minute), T0 - (13 * Minute), T0 - Minute, T0) with { LogStream = "eni-late-all" })
            .Merge(DataSignal(T0 - (40 * Minute), T0 - (39 * Minute), T0 - Minute, T0) with { LogStream = "eni-very-late-all" });

        Assert.Equal([new DeliveryLagSample(T0, 13 * Minute)], SettleLearner.Samples(work, Learning));
    }

    [Fact]
    public void Samples_LateRecordsRidingInADelivery_LagFromItsOldestOnTimeEvent()
    {
        var work = ExportWork.From(DataSignal(T0 - (40 * Minute), T0 - (2 * Minute), T0 - Minute, T0) with { OnTimeFirstEventTime = T0 - (12 * Minute) });

        Assert.Equal([new DeliveryLagSample(T0, 12 * Minute)], SettleLearner.Samples(work, Learning));
    }

    [Fact]
    public void Merge_KeepsEachLagOnceAndTheSixtyFourMostRecent()
    {
        var kept = Lags([.. Enumerable.Repeat(2L, 64)]);
        var fresh = new[] { kept[^1], new DeliveryLagSample(T0 + Day, 9 * Minute) };

        var merged = SettleLearner.Merge(kept, fresh);

        Assert.Equal(64, merged.Count);
        Assert.Equal(new DeliveryLagSample(T0 + Minute, 2 * Minute), merged[0]);
        Assert.Equal(new DeliveryLagSample(T0 + Day, 9 * Minute), merged[^1]);
    }

    [Fact]
    public async Task RunAsync_LearnedLagShorterThanConfigured_EndsTheWindowSoonerAndKeepsItsFirstCheckBehindTheConfiguredDelay()
    {
        using var h = new CoordinatorHarness(Learning with { Verification = new VerificationPolicy() });
        var lags = new Checkpoint
        {
            LogGroup = LogGroup,
            StartTime = T0 - Hour,
            ExportedThrough = T0 - Hour - 1,
            DeliveryLags = new(Lags([.. Enumerable.Repeat(4L, 20)])),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
        };
        h.Store.Put(lags);

        await h.RunAsync(ExportWork.From(DataSignal(T0 - (5 * Minute), T0 - (4 * Minute), T0 - Minute, T0)));

        // Learned: 4 min + 1 min margin + 1 min skew behind now (the configured delay would end it at T0 - 16 min).
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(T0 - Hour, T0 - (6 * Minute)), task.Window);
        Assert.Equal(21, h.Checkpoint!.DeliveryLags.Count);
        var planned = Assert.Single(h.Telemetry.Events(FlowLogEvents.Observability.LogEvents.WindowPlanned));
        Assert.Equal(300, planned.GetProperty("settleDelaySeconds").GetInt64());

        task.Status = ExportTaskStatus.Completed;
        h.Advance(Minute);
        await h.RunAsync(ExportWork.From(DataSignal(T0 - (5 * Minute), T0 - (4 * Minute), T0 - Minute, T0)));

        // Completed at T0 + 1 min; the first check waits for the window's end + 15 min settle + 1 min skew + 5 min.
        var entry = Assert.Single(h.Checkpoint!.Verifications);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0 - (6 * Minute) + (21 * Minute)), entry.DueAt);
    }
}
