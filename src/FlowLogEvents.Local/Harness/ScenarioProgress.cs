using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>Where one log group's export stands.</summary>
public sealed record GroupProgress(string LogGroup, bool Silent, int Records, long LastTimestamp, long? ExportedThrough, bool TaskInFlight, long ExportsCompleted, int LateQueued = 0)
{
    /// <summary>Exported through the newest record generated for the group, and no late range waits for its re-export.</summary>
    public bool Done => ExportedThrough >= LastTimestamp && LateQueued == 0;
}

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
