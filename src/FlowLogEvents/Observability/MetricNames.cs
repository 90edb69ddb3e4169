namespace FlowLogEvents.Observability;

/// <summary>
/// The EMF metric names (<see cref="Telemetry.Metric"/>, namespace <see cref="Telemetry.MetricsNamespace"/>). The
/// template's alarms and dashboard name them literally, and docs/operations.md ("Observability") documents each, so a
/// value never changes.
/// </summary>
public static class MetricNames
{
    // ExportBatchProcessor.cs
    public const string BatchItemFailures = "BatchItemFailures";
    public const string BatchesIsolated = "BatchesIsolated";
    public const string MalformedSignals = "MalformedSignals";
    public const string SignalsContinued = "SignalsContinued";
    public const string WorkRetried = "WorkRetried";
    public const string WorkSetAside = "WorkSetAside";

    // ExportCoordinator.cs
    public const string CheckpointConflicts = "CheckpointConflicts";
    public const string CheckpointsMissing = "CheckpointsMissing";
    public const string CheckpointsQuarantined = "CheckpointsQuarantined";
    public const string ExportLag = "ExportLag";
    public const string ExportSlotBusy = "ExportSlotBusy";
    public const string ExportWindowFloorFailures = "ExportWindowFloorFailures";
    public const string ExportWindowsSplit = "ExportWindowsSplit";
    public const string ExportsCompleted = "ExportsCompleted";
    public const string ExportsCreated = "ExportsCreated";
    public const string ExportsFailed = "ExportsFailed";
    public const string ExportsRejected = "ExportsRejected";
    public const string LateSignals = "LateSignals";
    public const string LateSignalsRechecked = "LateSignalsRechecked";

    // VerificationRunner.cs
    public const string DuplicatesFound = "DuplicatesFound";
    public const string RecordsMissing = "RecordsMissing";
    public const string RecordsRepaired = "RecordsRepaired";
    public const string RecordsUnrepaired = "RecordsUnrepaired";
    public const string VerificationBytesScanned = "VerificationBytesScanned";
    public const string VerificationLag = "VerificationLag";
    public const string WindowsUnverifiable = "WindowsUnverifiable";
    public const string WindowsVerified = "WindowsVerified";

    // SignalFunction.cs
    public const string MalformedPayloads = "MalformedPayloads";
    public const string OwnLogGroupDeliveries = "OwnLogGroupDeliveries";
    public const string UnrecoverableDeliveries = "UnrecoverableDeliveries";

    // SignalPublisher.cs
    public const string SignalsRecovered = "SignalsRecovered";
    public const string SignalsSent = "SignalsSent";
    public const string SignalsSuppressed = "SignalsSuppressed";
}
