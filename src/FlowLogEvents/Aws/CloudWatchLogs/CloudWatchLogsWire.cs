using System.Text.Json.Serialization;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>Operation names; the X-Amz-Target header is <c>Logs_20140328.</c> followed by one of them.</summary>
internal static class CloudWatchLogsOperations
{
    public const string TargetPrefix = "Logs_20140328.";
    public const string CancelExportTask = nameof(CancelExportTask);
    public const string CreateExportTask = nameof(CreateExportTask);
    public const string CreateLogGroup = nameof(CreateLogGroup);
    public const string CreateLogStream = nameof(CreateLogStream);
    public const string DescribeExportTasks = nameof(DescribeExportTasks);
    public const string DescribeLogGroups = nameof(DescribeLogGroups);
    public const string FilterLogEvents = nameof(FilterLogEvents);
    public const string PutLogEvents = nameof(PutLogEvents);
}

// Bodies whose shape differs from the public model (or that have no public type).
internal sealed record LogGroupNameBody(string LogGroupName);

internal sealed record LogStreamBody(string LogGroupName, string LogStreamName);

internal sealed record TaskIdBody(string TaskId);

internal sealed record DescribeLogGroupsBody(string? LogGroupNamePrefix, string? NextToken);

internal sealed record PutLogEventsBody(string LogGroupName, string LogStreamName, IReadOnlyList<InputLogEvent> LogEvents);

internal sealed record CreateExportTaskResult(string? TaskId);

internal sealed record DescribeExportTasksResult(IReadOnlyList<ExportTaskWire>? ExportTasks, string? NextToken);

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

internal sealed record ExportTaskStatusWire(string? Code, string? Message);

internal sealed record ExportTaskExecutionInfoWire(long? CreationTime, long? CompletionTime);

/// <summary>AWS JSON 1.1 bodies: camelCase members, absent rather than null optionals. Source generated, so trim/AOT safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateExportTaskRequest))]
[JsonSerializable(typeof(CreateExportTaskResult))]
[JsonSerializable(typeof(DescribeExportTasksRequest))]
[JsonSerializable(typeof(DescribeExportTasksResult))]
[JsonSerializable(typeof(TaskIdBody))]
[JsonSerializable(typeof(DescribeLogGroupsBody))]
[JsonSerializable(typeof(DescribeLogGroupsResponse))]
[JsonSerializable(typeof(LogGroupNameBody))]
[JsonSerializable(typeof(LogStreamBody))]
[JsonSerializable(typeof(PutLogEventsBody))]
[JsonSerializable(typeof(PutLogEventsResponse))]
[JsonSerializable(typeof(FilterLogEventsRequest))]
[JsonSerializable(typeof(FilterLogEventsResponse))]
internal sealed partial class CloudWatchLogsJsonContext : JsonSerializerContext;
