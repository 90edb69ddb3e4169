using FlowLogEvents.Aws;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>What happens to a run at set simulated times: another tool's export tasks, export tasks that fail, a start-over.</summary>
internal static class ScenarioFaultSchedule
{
    /// <summary>Another tool's export tasks take the account's one slot at evenly spread times during the traffic.</summary>
    public static async Task HoldSlotsAsync(ScenarioOptions options, DateTimeOffset trafficStart, CloudWatchLogsFront front, SimulatedClock clock, RunCounters counters, CancellationToken ct)
    {
        for (var i = 1; i <= options.ForeignExports; i++)
        {
            var at = trafficStart + (options.Duration * i / (options.ForeignExports + 1));
            if (at > clock.GetUtcNow())
            {
                await clock.DelayAsync(at - clock.GetUtcNow(), ct).ConfigureAwait(false);
            }

            while (true)
            {
                try
                {
                    front.HoldSlot(options.ForeignExportDuration);
                    counters.ForeignExportStarted();
                    break;
                }
                catch (InvalidOperationException)
                {
                    // Our own task holds the slot right now: take it as soon as it is free.
                    await clock.DelayAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="FaultOptions.StartOverAt"/>: deletes the first log group with traffic's checkpoint, then its marker, as an
    /// operator starting it over does (docs/operations.md, "A deleted checkpoint"); null when the run has no start-over.
    /// </summary>
    public static async Task<StartOver?> StartOverAsync(ScenarioOptions options, DateTimeOffset trafficStart, TrafficPlan plan, LocalCloudResources cloud, string stateBucket, S3CheckpointStore checkpoints, SimulatedClock clock, CancellationToken ct)
    {
        if (options.Faults.StartOverAt is not { } at)
        {
            return null;
        }

        var group = plan.Groups.First(g => !g.Silent).Name;
        if (trafficStart + at > clock.GetUtcNow())
        {
            await clock.DelayAsync(trafficStart + at - clock.GetUtcNow(), ct).ConfigureAwait(false);
        }

        // A start-over of a log group that has exported something: the new checkpoint must not be a first one in disguise.
        while ((await checkpoints.LoadAsync(group, ct).ConfigureAwait(false))?.Value.ExportsCompleted is not > 0)
        {
            await clock.DelayAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }

        await cloud.S3.DeleteObjectAsync(stateBucket, checkpoints.KeyOf(group), ct).ConfigureAwait(false);
        var checkpointDeleted = clock.GetUtcNow();
        await clock.DelayAsync(options.Faults.StartOverMarkerAfter, ct).ConfigureAwait(false);
        await cloud.S3.DeleteObjectAsync(stateBucket, checkpoints.MarkerKeyOf(group), ct).ConfigureAwait(false);
        return new StartOver(group, checkpointDeleted, clock.GetUtcNow());
    }

    /// <summary>Export tasks that end FAILED or CANCELLED, spread over the traffic (the next task created after each moment).</summary>
    public static async Task FailTasksAsync(ScenarioOptions options, DateTimeOffset trafficStart, CloudWatchLogsFront front, SimulatedClock clock, CancellationToken ct)
    {
        var statuses = Enumerable.Repeat(ExportTaskStatusCodes.Failed, options.Faults.FailedTasks)
            .Concat(Enumerable.Repeat(ExportTaskStatusCodes.Cancelled, options.Faults.CancelledTasks))
            .ToList();
        for (var i = 0; i < statuses.Count; i++)
        {
            var at = trafficStart + (options.Duration * (i + 1) / (statuses.Count + 1));
            if (at > clock.GetUtcNow())
            {
                await clock.DelayAsync(at - clock.GetUtcNow(), ct).ConfigureAwait(false);
            }

            front.FailNextTasks(1, statuses[i]);
        }
    }
}
