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
