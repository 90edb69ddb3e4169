using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>A snapshot of a running scenario, for the live view.</summary>
public sealed record ScenarioProgress(
    string Phase,
    DateTimeOffset SimulatedNow,
    TimeSpan RealElapsed,
    int BatchesWritten,
    int BatchesTotal,
    RunCounters Counters,
    ExportTaskStats? Tasks,
    int QueueDepth,
    int DeadLetterDepth,
    IReadOnlyList<GroupProgress> Groups)
{
    /// <summary>Checkpoint lag of a group: simulated now minus what is exported.</summary>
    public TimeSpan? LagOf(GroupProgress group) =>
        group?.ExportedThrough is { } through ? SimulatedNow - DateTimeOffset.FromUnixTimeMilliseconds(through) : null;
}
