namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record DescribeExportTasksResult(IReadOnlyList<ExportTaskWire>? ExportTasks, string? NextToken);
