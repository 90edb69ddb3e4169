namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record CreateExportTaskResult(string? TaskId);
