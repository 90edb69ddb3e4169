using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>Counters of the emulated export tasks at the end of a run (a copy of <see cref="ExportTaskStats"/>).</summary>
public sealed record ExportTaskTotals(int Created, int Completed, int Failed, int Cancelled, int LimitExceededAnswers, int SeenPending, int SeenRunning)
{
    /// <summary>Freshness (ingestion to S3 object) of the exported records, sorted, in simulated milliseconds.</summary>
    public IReadOnlyList<long> FreshnessMs { get; init; } = [];

    public static ExportTaskTotals From(ExportTaskStats? stats) => stats is null
        ? new(0, 0, 0, 0, 0, 0, 0)
        : new(stats.Created, stats.Completed, stats.Failed, stats.Cancelled, stats.LimitExceededAnswers, stats.SeenPending, stats.SeenRunning)
        {
            FreshnessMs = [.. stats.FreshnessMs.Order()],
        };

    /// <summary>The <paramref name="percentile"/> (0-100) of the freshness, nearest rank; 0 without exports.</summary>
    public TimeSpan Freshness(double percentile) => FreshnessMs.Count == 0
        ? TimeSpan.Zero
        : TimeSpan.FromMilliseconds(FreshnessMs[Math.Clamp((int)Math.Ceiling(percentile / 100 * FreshnessMs.Count) - 1, 0, FreshnessMs.Count - 1)]);
}
