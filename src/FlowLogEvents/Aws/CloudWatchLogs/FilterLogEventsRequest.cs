namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

public sealed record FilterLogEventsRequest
{
    public required string LogGroupName { get; init; }

    public IReadOnlyList<string>? LogStreamNames { get; init; }

    public long? StartTime { get; init; }

    public long? EndTime { get; init; }

    public string? NextToken { get; init; }

    public int? Limit { get; init; }
}
