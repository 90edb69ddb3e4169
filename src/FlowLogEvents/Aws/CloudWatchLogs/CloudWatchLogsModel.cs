namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

/// <summary>CreateExportTask input. Both <see cref="From"/> and <see cref="To"/> are inclusive.</summary>
public sealed record CreateExportTaskRequest
{
    public required string TaskName { get; init; }

    public required string LogGroupName { get; init; }

    public string? LogStreamNamePrefix { get; init; }

    public required long From { get; init; }

    public required long To { get; init; }

    public required string Destination { get; init; }

    public string? DestinationPrefix { get; init; }
}

/// <summary>DescribeExportTasks input: filter by <see cref="TaskId"/> or <see cref="StatusCode"/>, page with <see cref="NextToken"/>.</summary>
public sealed record DescribeExportTasksRequest
{
    public string? TaskId { get; init; }

    public string? StatusCode { get; init; }

    public string? NextToken { get; init; }

    public int? Limit { get; init; }
}

public sealed record DescribeExportTasksResponse
{
    public IReadOnlyList<ExportTask> ExportTasks { get; init; } = [];

    public string? NextToken { get; init; }
}

/// <summary>An export task; <see cref="StatusCode"/> is the wire value (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, PENDING_CANCEL).</summary>
public sealed record ExportTask
{
    public required string TaskId { get; init; }

    public string? TaskName { get; init; }

    public string? LogGroupName { get; init; }

    public long From { get; init; }

    public long To { get; init; }

    public string? Destination { get; init; }

    public string? DestinationPrefix { get; init; }

    public string? StatusCode { get; init; }

    public string? StatusMessage { get; init; }

    public long? CreationTime { get; init; }

    public long? CompletionTime { get; init; }
}

public sealed record DescribeLogGroupsResponse
{
    public IReadOnlyList<LogGroup> LogGroups { get; init; } = [];

    public string? NextToken { get; init; }
}

public sealed record LogGroup
{
    public required string LogGroupName { get; init; }

    public string? Arn { get; init; }

    public long CreationTime { get; init; }

    public int? RetentionInDays { get; init; }

    public long? StoredBytes { get; init; }
}

public sealed record InputLogEvent(long Timestamp, string Message);

public sealed record PutLogEventsResponse
{
    public string? NextSequenceToken { get; init; }

    public RejectedLogEventsInfo? RejectedLogEventsInfo { get; init; }
}

public sealed record RejectedLogEventsInfo
{
    public int? TooNewLogEventStartIndex { get; init; }

    public int? TooOldLogEventEndIndex { get; init; }

    public int? ExpiredLogEventEndIndex { get; init; }
}

public sealed record FilterLogEventsRequest
{
    public required string LogGroupName { get; init; }

    public IReadOnlyList<string>? LogStreamNames { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public string? NextToken { get; init; }

    public int? Limit { get; init; }
}

public sealed record FilterLogEventsResponse
{
    public IReadOnlyList<FilteredLogEvent> Events { get; init; } = [];

    public string? NextToken { get; init; }
}

public sealed record FilteredLogEvent
{
    public string? LogStreamName { get; init; }

    public long Timestamp { get; init; }

    public required string Message { get; init; }

    public long IngestionTime { get; init; }

    public string? EventId { get; init; }
}
