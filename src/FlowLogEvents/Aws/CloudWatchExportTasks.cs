using System.Net;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Aws;

/// <summary>The export coordinator's view of CloudWatch Logs export tasks, over our client.</summary>
public sealed class CloudWatchExportTasks(ICloudWatchLogsClient logs) : IExportTasks
{
    /// <summary>The IAM actions of the operations this adapter calls, and s3:PutObject on the export prefix (see <see cref="IamActions.Implied"/>).</summary>
    public static IReadOnlyList<string> RequiredActions { get; } =
        [IamActions.LogsCreateExportTask, IamActions.LogsDescribeExportTasks, IamActions.LogsDescribeLogGroups, IamActions.S3PutObject];

    /// <summary>DescribeExportTasks' largest page.</summary>
    public const int PageSize = 50;

    public async Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct)
    {
        var request = new CreateExportTaskRequest
        {
            TaskName = spec.TaskName,
            LogGroupName = spec.LogGroup,
            LogStreamNamePrefix = spec.LogStreamPrefix,
            From = spec.From,
            To = spec.To,
            Destination = spec.Bucket,
            DestinationPrefix = spec.Prefix,
        };
        try
        {
            return await logs.CreateExportTaskAsync(request, ct).ConfigureAwait(false);
        }
        catch (LimitExceededException ex)
        {
            throw new ExportSlotBusyException(ex.Message, ex);
        }
        catch (CloudWatchLogsException ex) when ((int)ex.StatusCode is >= 400 and < 500 && ex.StatusCode != HttpStatusCode.RequestTimeout)
        {
            // The service answered with a client error: the task was not created.
            throw new ExportRejectedException($"{ex.ErrorCode}: {ex.Message}", ex is ResourceNotFoundException or InvalidParameterException, ex);
        }
    }

    public async Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct)
    {
        var response = await logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = taskId }, ct).ConfigureAwait(false);
        var task = response.ExportTasks.FirstOrDefault(t => t.TaskId == taskId);
        return task is null ? null : Map(task);
    }

    /// <remarks>
    /// DescribeExportTasks without filters lists tasks newest first (the order the service answers in; the API reference
    /// states no order, our AWS notes and the local cloud rely on this one). The search reads pages until one holds only
    /// tasks created before <paramref name="createdSince"/>: reading a whole page past the bound keeps a task created
    /// within the same instant, or listed a little out of order, from being missed. There is no page limit: the bound
    /// ends the search, and a search that gave up would wedge the log group.
    /// </remarks>
    public async Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct)
    {
        var since = createdSince.ToUnixTimeMilliseconds();
        var found = new List<ExportTask>();
        string? nextToken = null;
        do
        {
            var response = await logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { NextToken = nextToken, Limit = PageSize }, ct).ConfigureAwait(false);
            found.AddRange(response.ExportTasks.Where(t => t.TaskName == taskName && t.LogGroupName == logGroup && (t.CreationTime ?? long.MaxValue) >= since));
            if (response.ExportTasks.Count == 0 || response.ExportTasks.All(t => t.CreationTime is { } created && created < since))
            {
                break;
            }

            nextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(nextToken));

        return [.. found.OrderByDescending(t => t.CreationTime ?? long.MaxValue).Select(Map)];
    }

    public async Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct)
    {
        string? nextToken = null;
        do
        {
            var response = await logs.DescribeLogGroupsAsync(logGroup, nextToken, ct).ConfigureAwait(false);
            var match = response.LogGroups.FirstOrDefault(g => g.LogGroupName == logGroup);
            if (match is not null)
            {
                return match.CreationTime;
            }

            nextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(nextToken));

        return null;
    }

    private static ExportTaskInfo Map(ExportTask task) => new(
        task.TaskId,
        task.TaskName ?? string.Empty,
        task.StatusCode switch
        {
            "PENDING" => ExportTaskStatus.Pending,
            "RUNNING" => ExportTaskStatus.Running,
            "COMPLETED" => ExportTaskStatus.Completed,
            "FAILED" => ExportTaskStatus.Failed,
            "CANCELLED" => ExportTaskStatus.Cancelled,
            "PENDING_CANCEL" => ExportTaskStatus.PendingCancel,
            var other => throw new InvalidOperationException($"export task {task.TaskId} has unknown status '{other}'"),
        },
        task.StatusMessage,
        task.Destination,
        task.DestinationPrefix,
        task.CreationTime);
}
