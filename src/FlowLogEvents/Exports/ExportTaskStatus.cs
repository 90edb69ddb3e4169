namespace FlowLogEvents.Exports;

public enum ExportTaskStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    PendingCancel,
}
