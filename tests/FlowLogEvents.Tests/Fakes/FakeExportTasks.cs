using System.Globalization;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>One export task as the fake service keeps it; tests set its status.</summary>
public sealed class FakeExportTask
{
    public required string TaskId { get; init; }

    public required ExportTaskSpec Spec { get; init; }

    public string TaskName => Spec.TaskName;

    public string LogGroup => Spec.LogGroup;

    public ExportWindow Window => new(Spec.From, Spec.To);

    public ExportTaskStatus Status { get; set; } = ExportTaskStatus.Pending;

    public string? StatusMessage { get; set; }

    public ExportTaskInfo ToInfo() => new(TaskId, TaskName, Status, StatusMessage);
}

/// <summary>
/// CloudWatch Logs export tasks in memory, behaving like AWS where the coordinator can tell:
/// task ids are unique, names are not; one PENDING or RUNNING task per account (a second create gets
/// <see cref="ExportSlotBusyException"/>, the SDK's LimitExceededException); FindByName answers the
/// most recent task of the log group with that name; Describe answers null for an unknown id.
/// </summary>
public sealed class FakeExportTasks : IExportTasks
{
    private readonly List<FakeExportTask> _tasks = [];
    private readonly Dictionary<string, Exception> _createFailures = new(StringComparer.Ordinal);
    private int _nextId = 1;

    /// <summary>All tasks ever created, in creation order.</summary>
    public IReadOnlyList<FakeExportTask> Tasks => _tasks;

    /// <summary>Every CreateAsync call, including those that threw.</summary>
    public int CreateCalls { get; private set; }

    public int DescribeCalls { get; private set; }

    public int FindByNameCalls { get; private set; }

    public int CreationTimeCalls { get; private set; }

    /// <summary>AWS allows one active export task per account and region (default on).</summary>
    public bool EnforceSingleActiveTask { get; set; } = true;

    /// <summary>Another tool in the account holds the export slot: every create gets LimitExceeded.</summary>
    public bool SlotHeldElsewhere { get; set; }

    /// <summary>Status a new task starts with (moto completes tasks synchronously: Completed).</summary>
    public ExportTaskStatus InitialStatus { get; set; } = ExportTaskStatus.Pending;

    /// <summary>Log group name -> creation time, epoch ms. Missing: the log group does not exist.</summary>
    public Dictionary<string, long> LogGroupCreationTimes { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates for this log group throw <paramref name="exception"/> (nothing is created).</summary>
    public void FailCreateFor(string logGroup, Exception exception) => _createFailures[logGroup] = exception;

    public FakeExportTask ById(string taskId) => _tasks.Single(t => t.TaskId == taskId);

    public void SetStatus(string taskId, ExportTaskStatus status, string? message = null)
    {
        var task = ById(taskId);
        task.Status = status;
        task.StatusMessage = message;
    }

    /// <summary>Completes every active task (as if time passed and the service finished them).</summary>
    public void CompleteAllActive()
    {
        foreach (var task in _tasks.Where(t => IsActive(t.Status)))
        {
            task.Status = ExportTaskStatus.Completed;
        }
    }

    public Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ct.ThrowIfCancellationRequested();
        CreateCalls++;
        if (_createFailures.TryGetValue(spec.LogGroup, out var failure))
        {
            throw failure;
        }

        if (SlotHeldElsewhere || (EnforceSingleActiveTask && _tasks.Any(t => IsActive(t.Status))))
        {
            throw new ExportSlotBusyException("LimitExceededException: Resource limit exceeded.");
        }

        var id = "task-" + (_nextId++).ToString("D4", CultureInfo.InvariantCulture);
        _tasks.Add(new FakeExportTask { TaskId = id, Spec = spec, Status = InitialStatus });
        return Task.FromResult(id);
    }

    public Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        DescribeCalls++;
        return Task.FromResult(_tasks.FirstOrDefault(t => t.TaskId == taskId)?.ToInfo());
    }

    public Task<ExportTaskInfo?> FindByNameAsync(string logGroup, string taskName, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        FindByNameCalls++;
        return Task.FromResult(_tasks.LastOrDefault(t => t.LogGroup == logGroup && t.TaskName == taskName)?.ToInfo());
    }

    public Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        CreationTimeCalls++;
        return Task.FromResult(LogGroupCreationTimes.TryGetValue(logGroup, out var t) ? (long?)t : null);
    }

    private static bool IsActive(ExportTaskStatus status) => status is ExportTaskStatus.Pending or ExportTaskStatus.Running;
}
