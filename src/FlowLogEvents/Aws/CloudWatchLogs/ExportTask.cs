namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

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
