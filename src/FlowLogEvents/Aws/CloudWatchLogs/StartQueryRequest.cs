namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>StartQuery (Logs Insights): <see cref="StartTime"/> and <see cref="EndTime"/> are epoch SECONDS, both inclusive.</summary>
public sealed record StartQueryRequest
{
    public required string LogGroupName { get; init; }

    public required long StartTime { get; init; }

    public required long EndTime { get; init; }

    public required string QueryString { get; init; }

    public int? Limit { get; init; }
}
