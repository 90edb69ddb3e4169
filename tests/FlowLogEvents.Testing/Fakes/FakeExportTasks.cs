using System.Globalization;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>One export task as the fake service keeps it; tests set its status.</summary>
public sealed class FakeExportTask
{
    public required string TaskId { get; init; }

    public required ExportTaskSpec Spec { get; init; }

    /// <summary>When the service created it (its clock), epoch ms.</summary>
    public required long CreationTime { get; init; }

    /// <summary>A task another tool or stack created (seeded history, a name taken elsewhere).</summary>
    public bool Foreign { get; init; }

    public string TaskName => Spec.TaskName;

    public string LogGroup => Spec.LogGroup;

    public ExportWindow Window => new(Spec.From, Spec.To);

    public ExportTaskStatus Status { get; set; } = ExportTaskStatus.Pending;

    public string? StatusMessage { get; set; }

    public ExportTaskInfo ToInfo() => new(TaskId, TaskName, Status, StatusMessage, Spec.Bucket, Spec.Prefix, CreationTime);
}

/// <summary>
/// CloudWatch Logs export tasks in memory, behaving like AWS where the coordinator can tell:
/// task ids are unique, names are not; one PENDING or RUNNING task per account (a second create gets
/// <see cref="ExportSlotBusyException"/>, the SDK's LimitExceededException); Describe answers null for an
/// unknown id. The account's task list is read as DescribeExportTasks pages it: newest first, 50 a page,
/// each page counted in <see cref="DescribePages"/>; <see cref="SeedHistory"/> fills it with other tools' tasks.
/// </summary>
public sealed class FakeExportTasks(TimeProvider? clock = null) : IExportTasks
{
    /// <summary>DescribeExportTasks' largest page.</summary>
    public const int PageSize = 50;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<FakeExportTask> _tasks = [];
    private readonly List<FakeExportTask> _account = [];
    private readonly Dictionary<string, Exception> _createFailures = new(StringComparer.Ordinal);
    private int _nextId = 1;

    /// <summary>All tasks ever created through <see cref="CreateAsync"/>, in creation order.</summary>
    public IReadOnlyList<FakeExportTask> Tasks => _tasks;

    /// <summary>Every CreateAsync call, including those that threw.</summary>
    public int CreateCalls { get; private set; }

    public int DescribeCalls { get; private set; }

    public int FindByNameCalls { get; private set; }

    /// <summary>DescribeExportTasks pages read by searches by name (a page holds <see cref="PageSize"/> tasks).</summary>
    public int DescribePages { get; private set; }

    public int CreationTimeCalls { get; private set; }

    /// <summary>AWS allows one active export task per account and region (default on).</summary>
    public bool EnforceSingleActiveTask { get; set; } = true;

    /// <summary>Another tool in the account holds the export slot: every create gets LimitExceeded.</summary>
    public bool SlotHeldElsewhere { get; set; }

    /// <summary>Status a new task starts with (moto completes tasks synchronously: Completed).</summary>
    public ExportTaskStatus InitialStatus { get; set; } = ExportTaskStatus.Pending;

    /// <summary>
    /// AWS promises no read-after-create: a task created less than this long ago is not yet returned by
    /// DescribeExportTasks (by id or in a listing). Zero: visible at once.
    /// </summary>
    public TimeSpan HiddenAfterCreate { get; set; } = TimeSpan.Zero;

    /// <summary>Log group name -> creation time, epoch ms. Missing: the log group does not exist.</summary>
    public Dictionary<string, long> LogGroupCreationTimes { get; } = new(StringComparer.Ordinal);

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates for this log group throw <paramref name="exception"/> (nothing is created).</summary>
    public void FailCreateFor(string logGroup, Exception exception) => _createFailures[logGroup] = exception;

    public FakeExportTask ById(string taskId) => _account.Single(t => t.TaskId == taskId);

    /// <summary>
    /// The account already holds <paramref name="count"/> COMPLETED tasks of another tool (another log group and bucket),
    /// one a minute, the newest one minute before now.
    /// </summary>
    public void SeedHistory(int count)
    {
        var now = Now;
        for (var i = count; i >= 1; i--)
        {
            var spec = new ExportTaskSpec($"nightly-archive-{i:D5}", "/app/payments", 0, 1, "payments-archive", "nightly");
            _account.Add(new FakeExportTask { TaskId = $"hist-{i:D5}", Spec = spec, CreationTime = now - (i * 60_000L), Foreign = true, Status = ExportTaskStatus.Completed });
        }

        Reorder();
    }

    /// <summary>A task someone else created now (another stack, an earlier life of this one), as given.</summary>
    public FakeExportTask AddForeign(ExportTaskSpec spec, ExportTaskStatus status, long? creationTime = null)
    {
        var task = new FakeExportTask { TaskId = "foreign-" + (_nextId++).ToString("D4", CultureInfo.InvariantCulture), Spec = spec, CreationTime = creationTime ?? Now, Foreign = true, Status = status };
        _account.Add(task);
        Reorder();
        return task;
    }

    public void SetStatus(string taskId, ExportTaskStatus status, string? message = null)
    {
        var task = ById(taskId);
        task.Status = status;
        task.StatusMessage = message;
    }

    /// <summary>Completes every active task (as if time passed and the service finished them).</summary>
    public void CompleteAllActive()
    {
        foreach (var task in _account.Where(t => IsActive(t.Status)))
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

        if (SlotHeldElsewhere || (EnforceSingleActiveTask && _account.Any(t => IsActive(t.Status))))
        {
            throw new ExportSlotBusyException("LimitExceededException: Resource limit exceeded.");
        }

        var id = "task-" + (_nextId++).ToString("D4", CultureInfo.InvariantCulture);
        var task = new FakeExportTask { TaskId = id, Spec = spec, CreationTime = Now, Status = InitialStatus };
        _tasks.Add(task);
        _account.Add(task);
        return Task.FromResult(id);
    }

    public Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        DescribeCalls++;
        return Task.FromResult(Visible().FirstOrDefault(t => t.TaskId == taskId)?.ToInfo());
    }

    /// <summary>As the adapter searches: pages newest first until a page holds only tasks created before the bound.</summary>
    public Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        FindByNameCalls++;
        var since = createdSince.ToUnixTimeMilliseconds();
        var newestFirst = Visible().Reverse().ToList();
        var found = new List<ExportTaskInfo>();
        for (var page = 0; ; page++)
        {
            DescribePages++;
            var tasks = newestFirst.Skip(page * PageSize).Take(PageSize).ToList();
            found.AddRange(tasks.Where(t => t.LogGroup == logGroup && t.TaskName == taskName && t.CreationTime >= since).Select(t => t.ToInfo()));
            if (tasks.Count == 0 || tasks.All(t => t.CreationTime < since) || (page + 1) * PageSize >= newestFirst.Count)
            {
                return Task.FromResult<IReadOnlyList<ExportTaskInfo>>(found);
            }
        }
    }

    public Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        CreationTimeCalls++;
        return Task.FromResult(LogGroupCreationTimes.TryGetValue(logGroup, out var t) ? (long?)t : null);
    }

    /// <summary>Oldest first by creation time; equal times keep their insertion order (a stable sort).</summary>
    private void Reorder()
    {
        var ordered = _account.OrderBy(t => t.CreationTime).ToList();
        _account.Clear();
        _account.AddRange(ordered);
    }

    private IEnumerable<FakeExportTask> Visible()
    {
        var now = Now;
        return _account.Where(t => now - t.CreationTime >= (long)HiddenAfterCreate.TotalMilliseconds);
    }

    private static bool IsActive(ExportTaskStatus status) => status is ExportTaskStatus.Pending or ExportTaskStatus.Running;
}
