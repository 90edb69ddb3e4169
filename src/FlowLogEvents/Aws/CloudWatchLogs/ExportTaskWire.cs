namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record ExportTaskWire(
    string TaskId,
    string? TaskName,
    string? LogGroupName,
    long From,
    long To,
    string? Destination,
    string? DestinationPrefix,
    ExportTaskStatusWire? Status,
    ExportTaskExecutionInfoWire? ExecutionInfo)
{
    public ExportTask ToModel() => new()
    {
        TaskId = TaskId,
        TaskName = TaskName,
        LogGroupName = LogGroupName,
        From = From,
        To = To,
        Destination = Destination,
        DestinationPrefix = DestinationPrefix,
        StatusCode = Status?.Code,
        StatusMessage = Status?.Message,
        CreationTime = ExecutionInfo?.CreationTime,
        CompletionTime = ExecutionInfo?.CompletionTime,
    };
}
