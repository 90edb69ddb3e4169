namespace FlowLogEvents.Observability;

/// <summary>
/// The <c>event</c> names of the JSON log lines (<see cref="Telemetry.Info"/>, <see cref="Telemetry.Warn"/>,
/// <see cref="Telemetry.Error"/>). They are part of the interface (log queries and the local harness's log parser
/// match them), so a value never changes.
/// </summary>
public static class LogEvents
{
    // ExportBatchProcessor.cs
    public const string BatchFailed = "batch.failed";
    public const string BatchIsolated = "batch.isolated";
    public const string SignalContinued = "signal.continued";
    public const string SignalMalformed = "signal.malformed";
    public const string WorkRetryLater = "work.retry-later";
    public const string WorkSetAside = "work.set-aside";

    // ExportCoordinator.cs
    public const string CheckpointConflict = "checkpoint.conflict";
    public const string CheckpointInitialized = "checkpoint.initialized";
    public const string CheckpointMissing = "checkpoint.missing";
    public const string CheckpointQuarantined = "checkpoint.quarantined";
    public const string EventsLate = "events.late";
    public const string ExportDeferred = "export.deferred";
    public const string ExportDone = "export.done";
    public const string LateQueued = "late.queued";
    public const string SignalBeforeStart = "signal.before-start";
    public const string SignalCovered = "signal.covered";
    public const string StartMoved = "start.moved";
    public const string TaskAdopted = "task.adopted";
    public const string TaskCompleted = "task.completed";
    public const string TaskCreated = "task.created";
    public const string TaskFailed = "task.failed";
    public const string TaskNameTaken = "task.name-taken";
    public const string TaskRejected = "task.rejected";
    public const string WindowFloorFailed = "window.floor-failed";
    public const string WindowPlanned = "window.planned";
    public const string WindowSplit = "window.split";

    // VerificationRunner.cs, WindowVerifier.cs
    public const string WindowRepaired = "window.repaired";
    public const string WindowShort = "window.short";
    public const string WindowSurplus = "window.surplus";
    public const string WindowUnverifiable = "window.unverifiable";
    public const string WindowVerified = "window.verified";

    // SignalFunction.cs
    public const string DeliveryOwnLogGroup = "delivery.own-log-group";
    public const string DeliveryRecoveryFailed = "delivery.recovery-failed";
    public const string DeliveryUnrecoverable = "delivery.unrecoverable";
    public const string PayloadMalformed = "payload.malformed";

    // SignalFunction.cs, SignalPublisher.cs
    public const string SignalSkipped = "signal.skipped";

    // SignalPublisher.cs
    public const string SignalRecovered = "signal.recovered";
    public const string SignalSent = "signal.sent";
    public const string SignalSuppressed = "signal.suppressed";
}
