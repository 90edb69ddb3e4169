namespace FlowLogEvents.Exports;

/// <summary>CloudWatch Logs export tasks, as the export coordinator needs them.</summary>
public interface IExportTasks
{
    /// <summary>
    /// Creates the task and returns its id. Throws <see cref="ExportSlotBusyException"/> when another
    /// export task holds the account's single slot, <see cref="ExportRejectedException"/> when the
    /// service answered that it did not create the task for another reason.
    /// </summary>
    Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct);

    /// <summary>The task with this id, or null when the service does not know it.</summary>
    Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct);

    /// <summary>
    /// The tasks of this log group with this name created at or after <paramref name="createdSince"/> (CloudWatch's
    /// clock), newest first; empty when there are none. DescribeExportTasks lists tasks newest first, so the search
    /// ends at the first page of tasks all created before the bound, however long the account's task history is.
    /// A name cannot exist before its window was planned: the caller passes the planning instant minus the clock
    /// skew margin, and searches only for names a CreateExportTask may have been sent for.
    /// </summary>
    Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct);

    /// <summary>When the log group was created (epoch ms), or null when it does not exist.</summary>
    Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct);
}
