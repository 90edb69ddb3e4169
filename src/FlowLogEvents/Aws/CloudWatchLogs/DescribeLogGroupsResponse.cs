namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

public sealed record DescribeLogGroupsResponse
{
    public IReadOnlyList<LogGroup> LogGroups { get; init; } = [];

    public string? NextToken { get; init; }
}
