namespace FlowLogEvents.Local.Faults;

/// <summary>The crash points of the functions: where a process can die (see <see cref="CrashSchedule"/>).</summary>
public static class CrashSteps
{
    public const string ExportBeforeCreate = "export.before-create";
    public const string ExportAfterCreate = "export.after-create";
    public const string ExportBeforeCheckpointWrite = "export.before-checkpoint-write";
    public const string ExportAfterCheckpointWrite = "export.after-checkpoint-write";
    public const string ExportBetweenLogGroups = "export.between-log-groups";
    public const string ExportBeforeContinuation = "export.before-continuation";
    public const string ExportAfterContinuation = "export.after-continuation";
    public const string VerifyBeforeQuery = "verify.before-query";
    public const string VerifyAfterQuery = "verify.after-query";
    public const string VerifyBeforeRepairWrite = "verify.before-repair-write";
    public const string VerifyAfterRepairWrite = "verify.after-repair-write";
    public const string SignalBeforeSend = "signal.before-send";
    public const string SignalAfterSend = "signal.after-send";

    public static IReadOnlyList<string> All { get; } =
    [
        ExportBeforeCreate, ExportAfterCreate, ExportBeforeCheckpointWrite, ExportAfterCheckpointWrite, ExportBetweenLogGroups,
        ExportBeforeContinuation, ExportAfterContinuation, VerifyBeforeQuery, VerifyAfterQuery, VerifyBeforeRepairWrite, VerifyAfterRepairWrite,
        SignalBeforeSend, SignalAfterSend,
    ];
}
