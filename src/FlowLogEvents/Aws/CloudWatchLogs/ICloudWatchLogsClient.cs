namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>The CloudWatch Logs operations FlowLogEvents uses; errors surface as <see cref="CloudWatchLogsException"/> subtypes.</summary>
public interface ICloudWatchLogsClient
{
    /// <summary>Starts an export task and returns its id. A <see cref="LimitExceededException"/> is never retried in-process.</summary>
    Task<string> CreateExportTaskAsync(CreateExportTaskRequest request, CancellationToken ct);

    Task<DescribeExportTasksResponse> DescribeExportTasksAsync(DescribeExportTasksRequest request, CancellationToken ct);

    Task CancelExportTaskAsync(string taskId, CancellationToken ct);

    Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(string? logGroupNamePrefix, string? nextToken, CancellationToken ct);

    Task CreateLogGroupAsync(string logGroupName, CancellationToken ct);

    Task CreateLogStreamAsync(string logGroupName, string logStreamName, CancellationToken ct);

    Task<PutLogEventsResponse> PutLogEventsAsync(string logGroupName, string logStreamName, IReadOnlyList<InputLogEvent> events, CancellationToken ct);

    Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken ct);

    /// <summary>Starts a Logs Insights query and returns its id.</summary>
    Task<string> StartQueryAsync(StartQueryRequest request, CancellationToken ct);

    Task<GetQueryResultsResponse> GetQueryResultsAsync(string queryId, CancellationToken ct);

    Task StopQueryAsync(string queryId, CancellationToken ct);
}
