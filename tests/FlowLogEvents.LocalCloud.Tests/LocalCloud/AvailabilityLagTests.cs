using System.Globalization;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>The per-event lag draw: reproducible from the event alone, bounded, with the documented spread.</summary>
public sealed class AvailabilityLagTests
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);

    [Fact]
    public void DrawMillis_Off_IsZero()
    {
        Assert.Equal(0, AvailabilityLag.Off.DrawMillis("/g", "s", 1_000, "m", 0));
    }

    [Fact]
    public void DrawMillis_TenThousandEvents_NinetyPercentWithinThirtySecondsAndNoneBeyondTheMaximum()
    {
        var lag = AvailabilityLag.ForExport(ThirtyMinutes);

        var draws = Enumerable.Range(0, 10_000).Select(i => lag.DrawMillis("/vpc/a", "eni-" + (i % 20), 1_764_168_300_000 + i, "record " + i, 0)).ToList();

        var withinBulk = draws.Count(d => d <= 30_000) / 10_000.0;
        // Expected: 90 % from the bulk plus the tail's share below 30 s (10 % x 30 s / 30 min = 0.17 %).
        Assert.InRange(withinBulk, 0.895, 0.907);
        Assert.All(draws, d => Assert.InRange(d, 0, (long)ThirtyMinutes.TotalMilliseconds));
        Assert.InRange(draws.Count(d => d > 15 * 60_000) / 10_000.0, 0.045, 0.055);
    }

    [Fact]
    public void DrawMillis_MaximumBelowTheBulk_EveryDrawWithinTheMaximum()
    {
        var lag = AvailabilityLag.ForExport(TimeSpan.FromSeconds(5));

        var draws = Enumerable.Range(0, 1_000).Select(i => lag.DrawMillis("/g", "s", i, "m", 0)).ToList();

        Assert.All(draws, d => Assert.InRange(d, 0, 5_000));
        Assert.True(draws.Max() > 4_000, $"largest draw {draws.Max()} ms");
    }

    [Fact]
    public void DrawMillis_SameEventTwice_SameLagAndTheExportAndReadSaltsDiffer()
    {
        var export = AvailabilityLag.ForExport(ThirtyMinutes);
        var read = AvailabilityLag.ForReads(ThirtyMinutes);

        var first = export.DrawMillis("/g", "s", 42, "m", 3);
        var second = export.DrawMillis("/g", "s", 42, "m", 3);

        Assert.Equal(first, second);
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => export.DrawMillis("/g", "s", i, "m", 0)), Enumerable.Range(0, 20).Select(i => read.DrawMillis("/g", "s", i, "m", 0)));
    }

    [Fact]
    public void Append_SameEventsInAnotherOrderOfCalls_EachEventGetsTheSameAvailability()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", CultureInfo.InvariantCulture));
        var forward = new IngestionLog(clock) { ExportLag = AvailabilityLag.ForExport(ThirtyMinutes) };
        var backward = new IngestionLog(clock) { ExportLag = AvailabilityLag.ForExport(ThirtyMinutes) };
        (long, string)[] events = [(1, "a"), (2, "b"), (2, "b"), (3, "c")];

        forward.Append("/g", "s1", events);
        forward.Append("/g", "s2", events);
        backward.Append("/g", "s2", events);
        backward.Append("/g", "s1", events);

        static IEnumerable<(string, long, string, long)> Lags(IngestionLog log) =>
            log.Events("/g").Select(e => (e.LogStreamName, e.Timestamp, e.Message, e.AvailableAt - e.IngestedAt)).Order();
        Assert.Equal(Lags(forward), Lags(backward));
        var duplicates = forward.Events("/g").Where(e => e.LogStreamName == "s1" && e.Timestamp == 2).ToList();
        Assert.NotEqual(duplicates[0].AvailableAt, duplicates[1].AvailableAt);
    }
}
