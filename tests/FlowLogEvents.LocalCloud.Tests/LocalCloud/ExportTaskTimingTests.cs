using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>
/// The emulated task time: "anywhere from a few seconds to a few hours, depending on the size of the data", with a 24-hour
/// timeout. The old fixed minute (20 s + 40 s) gave every task the same time; these fail on it.
/// </summary>
public sealed class ExportTaskTimingTests
{
    [Fact]
    public void Draw_TypicalTwoMinutes_MedianNearTwoMinutesWithSpreadAndATailOfLongTasks()
    {
        var timing = ExportTaskTiming.Typical(TimeSpan.FromMinutes(2));
        var random = new Random(42);

        var minutes = Enumerable.Range(0, 10_000).Select(_ => timing.Draw(random, 0)).Select(d => (d.Pending + d.Running).TotalMinutes).Order().ToList();

        Assert.InRange(minutes[5_000], 1.9, 2.2);
        Assert.InRange(minutes[1_000], 0.8, 1.2); // a tenth below about half the median
        Assert.InRange(minutes[9_000], 3.6, 4.4); // a tenth above about 1.9 times it (spread 0.5)
        Assert.InRange(minutes.Count(m => m >= 10), 200, 400); // the 3 % tail, 5-20 times longer
        Assert.True(minutes[^1] >= 40, $"longest {minutes[^1]:0.0} min");
    }

    [Fact]
    public void Draw_Typical_QuarterPendingAndTenSecondsPerThousandEventsScaledByTheSameFactor()
    {
        var timing = ExportTaskTiming.Typical(TimeSpan.FromMinutes(2));

        var (pending, running) = timing.Draw(new Random(7), 3_000);

        var factor = pending / TimeSpan.FromSeconds(30);
        Assert.True(Math.Abs(((TimeSpan.FromSeconds(90 + 30) * factor) - running).TotalMilliseconds) < 1, $"{running} vs {factor}");
    }

    [Fact]
    public void Draw_Fixed_IsExactlyTheGivenTimes()
    {
        var timing = ExportTaskTiming.Fixed(TimeSpan.FromSeconds(20), TimeSpan.FromHours(1));

        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromHours(1)), timing.Draw(new Random(1), 5_000));
    }

    [Fact]
    public void Create_TypicalTimingWithSeed_TasksTakeDifferentTimesReproducibly()
    {
        static List<long> Durations(int seed)
        {
            var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            var book = new ExportTaskBook(clock, ExportTaskTiming.Default with { Seed = seed }, new ExportTaskStats(), new IngestionLog(clock));
            var durations = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                var created = clock.NowMillis;
                var task = book.Create(new EmulatedExportTaskSpec("t", "/vpc/a", null, 1_000, 2_000, "bucket", "exportedlogs"));
                while (book.TakeDue() is not [var due])
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }

                book.Finish(task.TaskId, null);
                durations.Add(clock.NowMillis - created);
            }

            return durations;
        }

        var first = Durations(3);

        Assert.Equal(first, Durations(3));
        Assert.NotEqual(first, Durations(4));
        Assert.True(first.Distinct().Count() > 1, string.Join(", ", first));
    }

    [Fact]
    public void Create_DrawnTimePastTwentyFourHours_EndsFailedAtTwentyFourHours()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var stats = new ExportTaskStats();

        // A median of 20 hours: with a spread, about half of the tasks would run past the timeout.
        var book = new ExportTaskBook(clock, ExportTaskTiming.Typical(TimeSpan.FromHours(20)) with { Seed = 5 }, stats, new IngestionLog(clock));
        var outcomes = new List<(string Status, long Hours)>();
        for (var i = 0; i < 8; i++)
        {
            var created = clock.NowMillis;
            var task = book.Create(new EmulatedExportTaskSpec("t", "/vpc/a", null, 1_000, 2_000, "bucket", "exportedlogs"));
            while (book.TakeDue() is not [var due])
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                if (book.Describe(task.TaskId, null, null, null).Tasks.Single().StatusCode == ExportTaskStatusCodes.Failed)
                {
                    break;
                }
            }

            var status = book.Describe(task.TaskId, null, null, null).Tasks.Single().StatusCode;
            if (status != ExportTaskStatusCodes.Failed)
            {
                book.Finish(task.TaskId, null);
                status = ExportTaskStatusCodes.Completed;
            }

            outcomes.Add((status, (clock.NowMillis - created) / 3_600_000));
        }

        Assert.Contains(outcomes, o => o.Status == ExportTaskStatusCodes.Completed);
        Assert.Contains(outcomes, o => o.Status == ExportTaskStatusCodes.Failed);
        Assert.All(outcomes.Where(o => o.Status == ExportTaskStatusCodes.Failed), o => Assert.Equal(24, o.Hours));
        Assert.All(outcomes.Where(o => o.Status == ExportTaskStatusCodes.Completed), o => Assert.True(o.Hours < 24));
    }
}
