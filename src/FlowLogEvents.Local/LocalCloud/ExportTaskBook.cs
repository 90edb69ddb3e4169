using System.Globalization;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The export-task state machine, without I/O: task records, status by the clock, the one-active-task slot,
/// DescribeExportTasks filters and paging, cancellation and fault injection. A task is PENDING for
/// its drawn PENDING time, then RUNNING for its drawn running time (<see cref="ExportTaskTiming.Draw"/>);
/// then it is due: <see cref="TakeDue"/> hands it to whoever writes the output, which reports with <see cref="Finish"/>.
/// Until then the task stays RUNNING and keeps the slot, as a real task does until its output is written.
/// A task whose running time would pass <see cref="TaskTimeout"/> after its creation ends FAILED at that instant
/// with <see cref="TimedOutMessage"/>, having held the slot all that time.
/// </summary>
internal sealed class ExportTaskBook(TimeProvider clock, ExportTaskTiming timing, ExportTaskStats stats, IngestionLog ingestion)
{
    public const int MaxDescribeLimit = 50;
    public const string DefaultDestinationPrefix = "exportedlogs";

    /// <summary>
    /// The CloudWatch Logs user guide: "Export tasks time out after 24 hours. If your export tasks are timing out,
    /// reduce the time range." Counted from creation (PENDING included): the harsher reading.
    /// </summary>
    public static readonly TimeSpan TaskTimeout = TimeSpan.FromHours(24);

    /// <summary>
    /// The status message of a timed-out task. AWS documents the timeout but not the message DescribeExportTasks shows;
    /// this one is modelled on the user guide's wording.
    /// </summary>
    public const string TimedOutMessage = "Export task timed out after 24 hours. Reduce the time range of the export.";

    /// <summary>The status message of a task made to fail by <see cref="FailNextTasks"/> or <see cref="FailTasksLongerThan"/> with a shorter failure time.</summary>
    public const string FailedMessage = "Export task failed";

    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly Queue<string> _plannedOutcomes = new();
    private readonly Random _random = new(timing.Seed);
    private long _sequence;
    private (long SpanMillis, TimeSpan? FailAfter)? _tooMuchData;
    private long _describeLagMillis;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates a task (snapshot = now) or throws LimitExceededException when a task is PENDING or RUNNING.</summary>
    public ExportTaskView Create(EmulatedExportTaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            var now = Now;
            if (_entries.Any(e => e.IsActive))
            {
                stats.LimitExceeded();
                throw new ExportTaskException("LimitExceededException", ExportTaskException.LimitExceededMessage);
            }

            var events = ingestion.Select(spec.LogGroupName, spec.LogStreamNamePrefix, spec.From, spec.To, now);
            var (pending, running) = timing.Draw(_random, events.Count);
            var pendingUntil = now + (long)pending.TotalMilliseconds;
            var runningUntil = pendingUntil + (long)running.TotalMilliseconds;
            var outcome = _plannedOutcomes.TryDequeue(out var planned) ? planned : ExportTaskStatusCodes.Completed;
            var message = outcome == ExportTaskStatusCodes.Failed ? FailedMessage : "Cancelled";
            var timeout = now + (long)TaskTimeout.TotalMilliseconds;
            if (_tooMuchData is { } tooMuch && spec.To - spec.From + 1 > tooMuch.SpanMillis)
            {
                // Too much data for one task: it runs until it times out (or, time compressed, fails sooner).
                (outcome, message) = (ExportTaskStatusCodes.Failed, tooMuch.FailAfter is null ? TimedOutMessage : FailedMessage);
                runningUntil = tooMuch.FailAfter is { } after ? Math.Min(now + (long)after.TotalMilliseconds, timeout) : timeout;
            }

            if (runningUntil > timeout)
            {
                (outcome, message, runningUntil) = (ExportTaskStatusCodes.Failed, TimedOutMessage, timeout);
            }

            var entry = new Entry(++_sequence, Guid.NewGuid().ToString(), spec, events, now, pendingUntil, runningUntil, foreign: false)
            {
                Outcome = outcome,
                OutcomeMessage = message,
            };
            _entries.Add(entry);
            stats.TaskCreated();
            return entry.View(now);
        }
    }

    /// <summary>
    /// A task of another tool in the same account takes the slot for <paramref name="duration"/> (RUNNING, then COMPLETED,
    /// no output). It shows in DescribeExportTasks as it would in AWS, but not in <see cref="ExportTaskStats"/>.
    /// </summary>
    public ExportTaskView HoldSlot(TimeSpan duration)
    {
        lock (_lock)
        {
            if (_entries.Any(e => e.IsActive))
            {
                throw new InvalidOperationException("the export slot is already held by an active task");
            }

            var now = Now;
            var spec = new EmulatedExportTaskSpec("foreign-export", "/foreign/tool", null, 0, now, "foreign-bucket", DefaultDestinationPrefix);
            var entry = new Entry(++_sequence, Guid.NewGuid().ToString(), spec, [], now, now, now + (long)duration.TotalMilliseconds, foreign: true)
            {
                Outcome = ExportTaskStatusCodes.Completed,
                OutcomeMessage = "Completed successfully",
            };
            _entries.Add(entry);
            return entry.View(now);
        }
    }

    /// <summary>
    /// The account already holds <paramref name="count"/> tasks of another tool: COMPLETED, one every
    /// <paramref name="spacing"/>, the newest <paramref name="spacing"/> before now. DescribeExportTasks lists them after
    /// every task created later (it answers newest first), as AWS keeps an account's task history.
    /// </summary>
    public void SeedHistory(int count, TimeSpan spacing)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spacing, TimeSpan.Zero);
        lock (_lock)
        {
            if (_entries.Count > 0)
            {
                throw new InvalidOperationException("task history is seeded before any task is created: DescribeExportTasks orders by creation");
            }

            var now = Now;
            var step = (long)spacing.TotalMilliseconds;
            for (var i = count; i >= 1; i--)
            {
                var created = now - (i * step);
                var spec = new EmulatedExportTaskSpec($"nightly-archive-{i:D5}", "/app/payments", null, created - 86_400_000, created - 1, "payments-archive", "nightly");
                var entry = new Entry(++_sequence, Guid.NewGuid().ToString(), spec, [], created, created, created + 1, foreign: true)
                {
                    Outcome = ExportTaskStatusCodes.Completed,
                    OutcomeMessage = "Completed successfully",
                };
                entry.Final = ExportTaskStatusCodes.Completed;
                entry.FinalMessage = "Completed successfully";
                entry.CompletionTime = created + 1;
                _entries.Add(entry);
            }
        }
    }

    /// <summary>
    /// AWS promises no read-after-create: from now on DescribeExportTasks (by id and in listings) does not show a task until
    /// <paramref name="lag"/> after its creation. Zero (the default) shows it at once. CreateExportTask still counts it for
    /// the one-active-task slot.
    /// </summary>
    public void HideNewTasksFor(TimeSpan lag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, TimeSpan.Zero);
        lock (_lock)
        {
            _describeLagMillis = (long)lag.TotalMilliseconds;
        }
    }

    /// <summary>The next <paramref name="count"/> tasks created end with <paramref name="statusCode"/> (FAILED or CANCELLED) instead of COMPLETED, writing no output.</summary>
    public void FailNextTasks(int count, string statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (statusCode is not (ExportTaskStatusCodes.Failed or ExportTaskStatusCodes.Cancelled))
        {
            throw new ArgumentException($"a task can be made to end FAILED or CANCELLED, not {statusCode}", nameof(statusCode));
        }

        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _plannedOutcomes.Enqueue(statusCode);
            }
        }
    }

    /// <summary>
    /// Models "too much data for one task": every task created from now on whose range (<c>to - from + 1</c> ms) is longer
    /// than <paramref name="span"/> ends FAILED, writing no output. With <paramref name="failAfter"/> null it runs until the
    /// 24-hour timeout (<see cref="TimedOutMessage"/>), holding the slot; a shorter <paramref name="failAfter"/> compresses that
    /// wait for scenarios (<see cref="FailedMessage"/>). Null <paramref name="span"/> turns the rule off.
    /// </summary>
    public void FailTasksLongerThan(TimeSpan? span, TimeSpan? failAfter = null)
    {
        if (span is { } s && s <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(span), "the span must be positive");
        }

        if (failAfter is { } f && f <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(failAfter), "the failure time must be positive");
        }

        lock (_lock)
        {
            _tooMuchData = span is { } limit ? ((long)limit.TotalMilliseconds, failAfter) : null;
        }
    }

    /// <summary>DescribeExportTasks: newest first, optional taskId and statusCode filters, pages of <paramref name="limit"/> (1-50, default 50).</summary>
    public DescribePage Describe(string? taskId, string? statusCode, int? limit, string? nextToken)
    {
        if (limit is < 1 or > MaxDescribeLimit)
        {
            throw ExportTaskException.InvalidParameter(
                $"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 50")}");
        }

        if (statusCode is not null && !ExportTaskStatusCodes.All.Contains(statusCode))
        {
            throw ExportTaskException.InvalidParameter(
                $"1 validation error detected: Value '{statusCode}' at 'statusCode' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ExportTaskStatusCodes.All)}]");
        }

        long? before = null;
        if (!string.IsNullOrEmpty(nextToken))
        {
            before = long.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0
                ? sequence
                : throw ExportTaskException.InvalidParameter("The specified nextToken is invalid.");
        }

        lock (_lock)
        {
            var now = Now;
            var matches = _entries
                .Where(e => taskId is null || e.TaskId == taskId)
                .Where(e => before is null || e.Sequence < before)
                .Where(e => e.Foreign || now - e.CreationTime >= _describeLagMillis)
                .Select(e => (e.Sequence, View: e.View(now)))
                .Where(m => statusCode is null || m.View.StatusCode == statusCode)
                .OrderByDescending(m => m.Sequence)
                .ToList();
            var page = matches.Take(limit ?? MaxDescribeLimit).ToList();
            var token = matches.Count > page.Count ? page[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
            if (page.Any(m => m.View.StatusCode == ExportTaskStatusCodes.Pending))
            {
                stats.ObservedPending();
            }

            if (page.Any(m => m.View.StatusCode == ExportTaskStatusCodes.Running))
            {
                stats.ObservedRunning();
            }

            return new DescribePage(page.Select(m => m.View).ToList(), token);
        }
    }

    /// <summary>CancelExportTask: an active task becomes CANCELLED; otherwise ResourceNotFound / InvalidOperation as AWS answers.</summary>
    public ExportTaskView Cancel(string taskId)
    {
        lock (_lock)
        {
            var now = Now;
            var entry = _entries.FirstOrDefault(e => e.TaskId == taskId)
                ?? throw ExportTaskException.ResourceNotFound("The specified export task does not exist.");
            if (!entry.IsActive)
            {
                throw new ExportTaskException("InvalidOperationException", "The specified export task has already finished");
            }

            End(entry, ExportTaskStatusCodes.Cancelled, "Cancelled by user", now);
            return entry.View(now);
        }
    }

    /// <summary>
    /// Tasks whose running time is over. Those planned to fail end now (no output); the others are returned to have their
    /// output written and stay RUNNING until <see cref="Finish"/>.
    /// </summary>
    public IReadOnlyList<DueTask> TakeDue()
    {
        lock (_lock)
        {
            var now = Now;
            var due = new List<DueTask>();
            foreach (var entry in _entries.Where(e => e.IsActive && !e.Writing && e.RunningUntil <= now))
            {
                if (entry.Foreign)
                {
                    End(entry, ExportTaskStatusCodes.Completed, "Completed successfully", entry.RunningUntil);
                }
                else if (entry.Outcome == ExportTaskStatusCodes.Completed)
                {
                    entry.Writing = true;
                    due.Add(new DueTask(entry.TaskId, entry.Spec, entry.Events));
                }
                else
                {
                    End(entry, entry.Outcome, entry.OutcomeMessage, entry.RunningUntil);
                }
            }

            return due;
        }
    }

    /// <summary>The output of a due task was written (<paramref name="failure"/> null) or could not be (FAILED with that message).</summary>
    public void Finish(string taskId, string? failure)
    {
        lock (_lock)
        {
            var entry = _entries.FirstOrDefault(e => e.TaskId == taskId);
            if (entry is null)
            {
                return;
            }

            entry.Writing = false;
            if (entry.IsActive)
            {
                // Completion is stamped at the instant the running time ended, not when the front got round to it.
                End(entry, failure is null ? ExportTaskStatusCodes.Completed : ExportTaskStatusCodes.Failed, failure ?? "Completed successfully", entry.RunningUntil);
            }
        }
    }

    public IReadOnlyList<ExportTaskView> List()
    {
        lock (_lock)
        {
            var now = Now;
            return _entries.OrderByDescending(e => e.Sequence).Select(e => e.View(now)).ToList();
        }
    }

    /// <summary>Forgets every task (after moto was reset); planned failures and the too-much-data rule are dropped too.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Where(e => e.IsActive && !e.Foreign))
            {
                End(entry, ExportTaskStatusCodes.Cancelled, "Cancelled by reset", Now);
            }

            _entries.Clear();
            _plannedOutcomes.Clear();
            _tooMuchData = null;
            _describeLagMillis = 0;
        }
    }

    private void End(Entry entry, string status, string message, long completionTime)
    {
        entry.Final = status;
        entry.FinalMessage = message;
        entry.CompletionTime = completionTime;
        if (entry.Foreign)
        {
            return;
        }

        switch (status)
        {
            case ExportTaskStatusCodes.Completed:
                stats.TaskCompleted();
                break;
            case ExportTaskStatusCodes.Failed:
                stats.TaskFailed();
                break;
            default:
                stats.TaskCancelled();
                break;
        }
    }

    private sealed class Entry(
        long sequence, string taskId, EmulatedExportTaskSpec spec, IReadOnlyList<IngestedEvent> events, long creationTime, long pendingUntil, long runningUntil, bool foreign)
    {
        public long Sequence { get; } = sequence;

        public string TaskId { get; } = taskId;

        public EmulatedExportTaskSpec Spec { get; } = spec;

        public IReadOnlyList<IngestedEvent> Events { get; } = events;

        public long CreationTime { get; } = creationTime;

        public long PendingUntil { get; } = pendingUntil;

        public long RunningUntil { get; } = runningUntil;

        public bool Foreign { get; } = foreign;

        /// <summary>How the task ends when its running time is over: COMPLETED unless a fault was planned.</summary>
        public required string Outcome { get; init; }

        /// <summary>The status message of a task that ends FAILED or CANCELLED by its <see cref="Outcome"/>.</summary>
        public required string OutcomeMessage { get; init; }

        public bool Writing { get; set; }

        public string? Final { get; set; }

        public string? FinalMessage { get; set; }

        public long? CompletionTime { get; set; }

        public bool IsActive => Final is null;

        public ExportTaskView View(long now)
        {
            var (status, message) = Final is not null
                ? (Final, FinalMessage ?? string.Empty)
                : now < PendingUntil ? (ExportTaskStatusCodes.Pending, "Pending") : (ExportTaskStatusCodes.Running, "Running");
            return new ExportTaskView(TaskId, Spec, status, message, CreationTime, CompletionTime, Events.Count, Foreign);
        }
    }
}
