using System.Collections.Concurrent;

namespace FlowLogEvents.Local.LocalCloud;

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
    private readonly ConcurrentQueue<long> _freshness = new();

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

    /// <summary>
    /// Freshness of every exported record: milliseconds on the shared clock from its ingestion
    /// (PutLogEvents through the front) to the write of the S3 object that holds it.
    /// </summary>
    public IReadOnlyList<long> FreshnessMs => [.. _freshness];

    internal void ObjectsWritten(IEnumerable<IngestedEvent> events, long writtenAt)
    {
        foreach (var e in events)
        {
            _freshness.Enqueue(writtenAt - e.IngestedAt);
        }
    }
}
