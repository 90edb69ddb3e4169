namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

/// <summary>DescribeExportTasks input: filter by <see cref="TaskId"/> or <see cref="StatusCode"/>, page with <see cref="NextToken"/>.</summary>
public sealed record DescribeExportTasksRequest
{
    public string? TaskId { get; init; }

    public string? StatusCode { get; init; }

    public string? NextToken { get; init; }

    public int? Limit { get; init; }
}
