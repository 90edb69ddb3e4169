namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>GetQueryResults: <see cref="Status"/> is Scheduled, Running, Complete, Failed, Cancelled, Timeout or Unknown.</summary>
public sealed record GetQueryResultsResponse
{
    public IReadOnlyList<IReadOnlyList<ResultField>> Results { get; init; } = [];

    public QueryStatistics? Statistics { get; init; }

    public string? Status { get; init; }
}
