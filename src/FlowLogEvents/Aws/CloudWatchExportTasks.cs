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

    /// <summary>How many pages of DescribeExportTasks a search by name reads (50 tasks each).</summary>
    public const int MaxSearchPages = 40;

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

    public async Task<ExportTaskInfo?> FindByNameAsync(string logGroup, string taskName, CancellationToken ct)
    {
        string? nextToken = null;
        for (var page = 0; page < MaxSearchPages; page++)
        {
            var response = await logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { NextToken = nextToken, Limit = 50 }, ct).ConfigureAwait(false);
            var match = response.ExportTasks
                .Where(t => t.TaskName == taskName && t.LogGroupName == logGroup)
                .MaxBy(t => t.CreationTime ?? 0);
            if (match is not null)
            {
                return Map(match);
            }

            nextToken = response.NextToken;
            if (string.IsNullOrEmpty(nextToken))
            {
                return null;
            }
        }

        throw new InvalidOperationException($"export task '{taskName}' not found in the newest {MaxSearchPages * 50} tasks; refusing to assume it was never created");
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
        task.StatusMessage);
}
