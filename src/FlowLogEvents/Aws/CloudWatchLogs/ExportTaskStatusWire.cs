namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record ExportTaskStatusWire(string? Code, string? Message);
