namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record ExportTaskExecutionInfoWire(long? CreationTime, long? CompletionTime);
