namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

public sealed record FilteredLogEvent
{
    public string? LogStreamName { get; init; }

    public long Timestamp { get; init; }

    public required string Message { get; init; }

    public long IngestionTime { get; init; }

    public string? EventId { get; init; }
}
