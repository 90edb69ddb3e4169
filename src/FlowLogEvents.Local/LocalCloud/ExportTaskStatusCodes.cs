namespace FlowLogEvents.Local.LocalCloud;

/// <summary>Export task status codes as on the wire.</summary>
public static class ExportTaskStatusCodes
{
    public const string Pending = "PENDING";
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";
    public const string PendingCancel = "PENDING_CANCEL";

    public static IReadOnlyList<string> All { get; } = [Pending, Running, Completed, Failed, Cancelled, PendingCancel];
}
