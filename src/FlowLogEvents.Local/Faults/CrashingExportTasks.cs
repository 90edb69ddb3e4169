using FlowLogEvents.Exports;

namespace FlowLogEvents.Local.Faults;

/// <summary>Crash points around CreateExportTask.</summary>
public sealed class CrashingExportTasks(IExportTasks inner, CrashSchedule schedule, ProcessDeath death) : IExportTasks
{
    public async Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct)
    {
        await schedule.ReachAsync(CrashSteps.ExportBeforeCreate, death).ConfigureAwait(false);
        var taskId = await inner.CreateAsync(spec, ct).ConfigureAwait(false);
        await schedule.ReachAsync(CrashSteps.ExportAfterCreate, death).ConfigureAwait(false);
        return taskId;
    }

    public Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct) => inner.DescribeAsync(taskId, ct);

    public Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct) =>
        inner.FindByNameAsync(logGroup, taskName, createdSince, ct);

    public Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct) => inner.GetLogGroupCreationTimeAsync(logGroup, ct);
}
