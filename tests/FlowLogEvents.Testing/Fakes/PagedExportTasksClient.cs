using System.Globalization;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>
/// A CloudWatch Logs client whose DescribeExportTasks lists <see cref="Tasks"/> as the service does: newest first
/// (by <see cref="ExportTask.CreationTime"/>), pages of <c>limit</c> (default 50), a next token while more remain.
/// Every call is counted. The other operations are not needed by the adapter tests.
/// </summary>
public sealed class PagedExportTasksClient : ICloudWatchLogsClient
{
    public List<ExportTask> Tasks { get; } = [];

    public int DescribeCalls { get; private set; }

    /// <summary><paramref name="count"/> COMPLETED tasks of another tool, one a minute, the newest at <paramref name="newest"/>.</summary>
    public void SeedHistory(int count, long newest)
    {
        for (var i = 0; i < count; i++)
        {
            Tasks.Add(new ExportTask
            {
                TaskId = $"hist-{i:D5}",
                TaskName = $"nightly-archive-{i:D5}",
                LogGroupName = "/app/payments",
                Destination = "payments-archive",
                DestinationPrefix = "nightly",
                StatusCode = "COMPLETED",
                CreationTime = newest - (i * 60_000L),
            });
        }
    }

    public Task<DescribeExportTasksResponse> DescribeExportTasksAsync(DescribeExportTasksRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        DescribeCalls++;
        var newestFirst = Tasks.Where(t => request.TaskId is null || t.TaskId == request.TaskId).OrderByDescending(t => t.CreationTime).ToList();
        var skip = request.NextToken is null ? 0 : int.Parse(request.NextToken, CultureInfo.InvariantCulture);
        var page = newestFirst.Skip(skip).Take(request.Limit ?? 50).ToList();
        var next = skip + page.Count < newestFirst.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new DescribeExportTasksResponse { ExportTasks = page, NextToken = next });
    }

    public Task<string> CreateExportTaskAsync(CreateExportTaskRequest request, CancellationToken ct) => throw new NotSupportedException();

    public Task CancelExportTaskAsync(string taskId, CancellationToken ct) => throw new NotSupportedException();

    public Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(string? logGroupNamePrefix, string? nextToken, CancellationToken ct) => throw new NotSupportedException();

    public Task CreateLogGroupAsync(string logGroupName, CancellationToken ct) => throw new NotSupportedException();

    public Task CreateLogStreamAsync(string logGroupName, string logStreamName, CancellationToken ct) => throw new NotSupportedException();

    public Task<PutLogEventsResponse> PutLogEventsAsync(string logGroupName, string logStreamName, IReadOnlyList<InputLogEvent> events, CancellationToken ct) => throw new NotSupportedException();

    public Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken ct) => throw new NotSupportedException();

    public Task<string> StartQueryAsync(StartQueryRequest request, CancellationToken ct) => throw new NotSupportedException();

    public Task<GetQueryResultsResponse> GetQueryResultsAsync(string queryId, CancellationToken ct) => throw new NotSupportedException();

    public Task StopQueryAsync(string queryId, CancellationToken ct) => throw new NotSupportedException();
}
