namespace FlowLogEvents.Local.Harness;

/// <summary>Where one log group's export stands.</summary>
/// <param name="Unverified">Exported windows whose first check against CloudWatch Logs has not passed yet (not checked, a shortfall left, or unverifiable).</param>
/// <param name="AwaitingChecks">Exported windows not final yet (each log group with one keeps a continuation on the queue).</param>
public sealed record GroupProgress(string LogGroup, bool Silent, int Records, long LastTimestamp, long? ExportedThrough, bool TaskInFlight, long ExportsCompleted, int LateQueued = 0, int Unverified = 0, int AwaitingChecks = 0)
{
    /// <summary>Exported through the newest record generated for the group, no late range waits for its re-export, and every window had a check that left nothing missing.</summary>
    public bool Done => ExportedThrough >= LastTimestamp && LateQueued == 0 && Unverified == 0;
}
