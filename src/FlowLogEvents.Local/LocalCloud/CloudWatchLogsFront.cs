namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// CONTRACT STUB (implementation pending on branch `front`): an HTTP front on 127.0.0.1 between our
/// CloudWatch Logs client and moto_server that adds the export-task semantics moto lacks.
/// </summary>
public sealed class CloudWatchLogsFront : IAsyncDisposable
{
    private CloudWatchLogsFront(Uri endpoint) => Endpoint = endpoint;

    /// <summary>Point CloudWatchLogsConfig.ServiceURL (or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) here.</summary>
    public Uri Endpoint { get; }

    public ExportTaskStats Stats { get; } = new();

    public static Task<CloudWatchLogsFront> StartAsync(Uri moto, TimeProvider clock, ExportTaskTiming timing, CancellationToken ct = default) =>
        throw new NotImplementedException($"{moto} {clock} {timing} {ct.IsCancellationRequested}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>How long emulated export tasks stay PENDING and RUNNING, in simulated time.</summary>
public sealed record ExportTaskTiming(TimeSpan PendingFor, TimeSpan RunningBase, TimeSpan RunningPerThousandEvents)
{
    public static ExportTaskTiming Default { get; } = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10));
}

/// <summary>Counters of the emulated export tasks (thread-safe).</summary>
public sealed class ExportTaskStats
{
    private int _created;
    private int _completed;
    private int _failed;
    private int _cancelled;
    private int _limitExceededAnswers;
    private int _seenPending;
    private int _seenRunning;
    private int _active;

    public int Created => Volatile.Read(ref _created);

    public int Completed => Volatile.Read(ref _completed);

    public int Failed => Volatile.Read(ref _failed);

    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>CreateExportTask calls answered with LimitExceededException.</summary>
    public int LimitExceededAnswers => Volatile.Read(ref _limitExceededAnswers);

    /// <summary>DescribeExportTasks answers that showed a task PENDING / RUNNING.</summary>
    public int SeenPending => Volatile.Read(ref _seenPending);

    public int SeenRunning => Volatile.Read(ref _seenRunning);

    /// <summary>Tasks PENDING or RUNNING now (0 or 1).</summary>
    public int Active => Volatile.Read(ref _active);

    internal void TaskCreated() { Interlocked.Increment(ref _created); Interlocked.Increment(ref _active); }

    internal void TaskCompleted() { Interlocked.Increment(ref _completed); Interlocked.Decrement(ref _active); }

    internal void TaskFailed() { Interlocked.Increment(ref _failed); Interlocked.Decrement(ref _active); }

    internal void TaskCancelled() { Interlocked.Increment(ref _cancelled); Interlocked.Decrement(ref _active); }

    internal void LimitExceeded() => Interlocked.Increment(ref _limitExceededAnswers);

    internal void ObservedPending() => Interlocked.Increment(ref _seenPending);

    internal void ObservedRunning() => Interlocked.Increment(ref _seenRunning);
}
