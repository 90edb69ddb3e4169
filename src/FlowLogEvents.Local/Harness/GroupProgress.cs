namespace FlowLogEvents.Local.Harness;

/// <summary>Where one log group's export stands.</summary>
public sealed record GroupProgress(string LogGroup, bool Silent, int Records, long LastTimestamp, long? ExportedThrough, bool TaskInFlight, long ExportsCompleted, int LateQueued = 0)
{
    /// <summary>Exported through the newest record generated for the group, and no late range waits for its re-export.</summary>
    public bool Done => ExportedThrough >= LastTimestamp && LateQueued == 0;
}
