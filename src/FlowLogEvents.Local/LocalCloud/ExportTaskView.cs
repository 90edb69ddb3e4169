namespace FlowLogEvents.Local.LocalCloud;

/// <summary>A task as DescribeExportTasks shows it at one instant, plus what the front knows about it.</summary>
public sealed record ExportTaskView(
    string TaskId,
    EmulatedExportTaskSpec Spec,
    string StatusCode,
    string StatusMessage,
    long CreationTime,
    long? CompletionTime,
    int EventCount,
    bool Foreign);
