using System.Collections.Concurrent;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Local.Harness;

/// <summary>Live counters of a run (thread-safe), fed by the harness and by the functions' telemetry.</summary>
public sealed class RunCounters
{
    private readonly ConcurrentDictionary<string, int> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _deferred = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Instance, string LogGroup, long Window), (int Invocations, int Sent)> _windows = new();
    private long _eventsIngested;
    private int _putLogEventsCalls;
    private int _batchesDelivered;
    private int _subscriptionInvocations;
    private int _subscriptionErrors;
    private int _subscriptionsDropped;
    private int _subscriptionsSentToDestination;
    private int _exportInvocations;
    private int _exportInvocationErrors;
    private int _recordsReceived;
    private int _dataSignalsReceived;
    private int _continuationsReceived;
    private int _recordsDeleted;
    private int _recordsReportedFailed;
    private int _foreignExports;
    private long _maxPutLagTicks;
    private int _ingestedAfterSettle;
    private long _exportHandlerTicks;
    private long _maxExportHandlerTicks;
    private int _subscriptionDuplicates;
    private int _subscriptionRetries;
    private int _exportRedeliveries;
    private int _exportDeaths;
    private int _deletesForgotten;
    private int _backfillInvocations;
    private int _backfillErrors;
    private int _recursiveInvocationsDropped;
    private int _loopMessagesMoved;

    /// <summary>Subscription payloads delivered a second time on purpose (at-least-once fault).</summary>
    public int SubscriptionDuplicates => Volatile.Read(ref _subscriptionDuplicates);

    /// <summary>Asynchronous-invoke retries of the signal function (after an error or a dead process).</summary>
    public int SubscriptionRetries => Volatile.Read(ref _subscriptionRetries);

    /// <summary>SQS records received again (ApproximateReceiveCount &gt; 1): the event source mapping's retries.</summary>
    public int ExportRedeliveries => Volatile.Read(ref _exportRedeliveries);

    /// <summary>Export invocations whose process died (no response).</summary>
    public int ExportDeaths => Volatile.Read(ref _exportDeaths);

    /// <summary>Succeeded records the event source mapping did not delete (fault).</summary>
    public int DeletesForgotten => Volatile.Read(ref _deletesForgotten);

    /// <summary>Batches also handed to a second, concurrent export function.</summary>
    public int BackfillInvocations => Volatile.Read(ref _backfillInvocations);

    public int BackfillErrors => Volatile.Read(ref _backfillErrors);

    /// <summary>
    /// Invocations Lambda's recursive loop detection stopped (AWS/Lambda <c>RecursiveInvocationsDropped</c>):
    /// records whose trace lineage already counts <see cref="Lambda.TraceHeader.MaxRecursiveInvocations"/> invocations of the function.
    /// </summary>
    public int RecursiveInvocationsDropped => Volatile.Read(ref _recursiveInvocationsDropped);

    /// <summary>Records of stopped loops moved to the source queue's dead-letter queue (deleted when it has none).</summary>
    public int LoopMessagesMoved => Volatile.Read(ref _loopMessagesMoved);

    internal void RecursiveInvocationDropped(int movedToDeadLetterQueue)
    {
        Interlocked.Increment(ref _recursiveInvocationsDropped);
        Interlocked.Add(ref _loopMessagesMoved, movedToDeadLetterQueue);
    }

    internal void SubscriptionDuplicated() => Interlocked.Increment(ref _subscriptionDuplicates);

    internal void SubscriptionRetried() => Interlocked.Increment(ref _subscriptionRetries);

    internal void ExportRedelivered(int records) => Interlocked.Add(ref _exportRedeliveries, records);

    internal void ExportDied() => Interlocked.Increment(ref _exportDeaths);

    internal void ExportDeleteForgotten(int records) => Interlocked.Add(ref _deletesForgotten, records);

    internal void BackfillInvoked() => Interlocked.Increment(ref _backfillInvocations);

    internal void BackfillFailed() => Interlocked.Increment(ref _backfillErrors);

    public long EventsIngested => Interlocked.Read(ref _eventsIngested);

    public int PutLogEventsCalls => Volatile.Read(ref _putLogEventsCalls);

    /// <summary>Traffic batches written and handed to the subscription.</summary>
    public int BatchesDelivered => Volatile.Read(ref _batchesDelivered);

    /// <summary>Signal function invocations, retries included.</summary>
    public int SubscriptionInvocations => Volatile.Read(ref _subscriptionInvocations);

    /// <summary>Signal function invocations that threw (retried by the asynchronous-invoke policy).</summary>
    public int SubscriptionErrors => Volatile.Read(ref _subscriptionErrors);

    /// <summary>Deliveries that failed all three attempts (Lambda would drop them).</summary>
    public int SubscriptionsDropped => Volatile.Read(ref _subscriptionsDropped);

    /// <summary>Deliveries Lambda gave up on whose invocation record went to the on-failure destination.</summary>
    public int SubscriptionsSentToDestination => Volatile.Read(ref _subscriptionsSentToDestination);

    public int ExportInvocations => Volatile.Read(ref _exportInvocations);

    /// <summary>Export function invocations that threw (the whole batch is retried after the visibility timeout).</summary>
    public int ExportInvocationErrors => Volatile.Read(ref _exportInvocationErrors);

    public int RecordsReceived => Volatile.Read(ref _recordsReceived);

    /// <summary>Signals of the signal function that reached the export function (the rest were dropped by FIFO deduplication).</summary>
    public int DataSignalsReceived => Volatile.Read(ref _dataSignalsReceived);

    public int ContinuationsReceived => Volatile.Read(ref _continuationsReceived);

    public int RecordsDeleted => Volatile.Read(ref _recordsDeleted);

    public int RecordsReportedFailed => Volatile.Read(ref _recordsReportedFailed);

    /// <summary>
    /// The longest time, in simulated time, between a batch's planned delivery and the moment
    /// PutLogEvents returned: how far the harness fell behind the simulated clock.
    /// </summary>
    public TimeSpan MaxPutLag => TimeSpan.FromTicks(Interlocked.Read(ref _maxPutLagTicks));

    /// <summary>
    /// Records ingested more than the settle delay after their timestamp. An export may already have
    /// covered their range: CloudWatch Logs semantics (and the front) do not export them then.
    /// </summary>
    public int IngestedAfterSettle => Volatile.Read(ref _ingestedAfterSettle);

    /// <summary>Mean real duration of one export handler invocation.</summary>
    public TimeSpan MeanExportHandlerTime => ExportInvocations == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _exportHandlerTicks) / ExportInvocations);

    /// <summary>Longest real duration of one export handler invocation.</summary>
    public TimeSpan MaxExportHandlerTime => TimeSpan.FromTicks(Interlocked.Read(ref _maxExportHandlerTicks));

    /// <summary>Export tasks of "another tool" that held the slot.</summary>
    public int ForeignExports => Volatile.Read(ref _foreignExports);

    /// <summary>How many telemetry lines of this event the functions wrote.</summary>
    public int Event(string name) => _events.GetValueOrDefault(name);

    /// <summary>export.deferred lines by reason.</summary>
    public IReadOnlyDictionary<string, int> DeferredReasons => new Dictionary<string, int>(_deferred, StringComparer.Ordinal);

    /// <summary>Times the export function answered LimitExceededException by deferring (continuation).</summary>
    public int SlotBusyDeferrals => _deferred.Where(kv => kv.Key.Contains("export slot", StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>
    /// SendMessage calls of the signal function per log group and debounce window, against the
    /// invocations that decided about that window (sent or suppressed).
    /// </summary>
    public SignalEconomy Signals
    {
        get
        {
            var cells = _windows.ToArray();
            if (cells.Length == 0)
            {
                return new SignalEconomy(0, 0, 0, 0, 0);
            }

            var byWindow = cells.GroupBy(kv => (kv.Key.LogGroup, kv.Key.Window))
                .Select(g => (Invocations: g.Sum(kv => kv.Value.Invocations), Sent: g.Sum(kv => kv.Value.Sent)))
                .ToList();
            return new SignalEconomy(
                byWindow.Count,
                byWindow.Average(w => w.Invocations),
                byWindow.Average(w => w.Sent),
                byWindow.Max(w => w.Sent),
                cells.Max(kv => kv.Value.Sent));
        }
    }

    internal void SignalDecision(string instance, string logGroup, long window, bool sent) =>
        _windows.AddOrUpdate((instance, logGroup, window), (1, sent ? 1 : 0), (_, n) => (n.Invocations + 1, n.Sent + (sent ? 1 : 0)));

    internal void Ingested(int events)
    {
        Interlocked.Add(ref _eventsIngested, events);
        Interlocked.Increment(ref _putLogEventsCalls);
    }

    internal void PutCompleted(TimeSpan lag, int ingestedAfterSettle)
    {
        Max(ref _maxPutLagTicks, lag.Ticks);
        Interlocked.Add(ref _ingestedAfterSettle, ingestedAfterSettle);
    }

    internal void ExportHandlerTook(TimeSpan real)
    {
        Interlocked.Add(ref _exportHandlerTicks, real.Ticks);
        Max(ref _maxExportHandlerTicks, real.Ticks);
    }

    private static void Max(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    internal void BatchDelivered() => Interlocked.Increment(ref _batchesDelivered);

    internal void SubscriptionInvoked() => Interlocked.Increment(ref _subscriptionInvocations);

    internal void SubscriptionFailed() => Interlocked.Increment(ref _subscriptionErrors);

    internal void SubscriptionDropped() => Interlocked.Increment(ref _subscriptionsDropped);

    internal void SubscriptionSentToDestination() => Interlocked.Increment(ref _subscriptionsSentToDestination);

    internal void ExportInvoked(int records, int dataSignals, int continuations)
    {
        Interlocked.Increment(ref _exportInvocations);
        Interlocked.Add(ref _recordsReceived, records);
        Interlocked.Add(ref _dataSignalsReceived, dataSignals);
        Interlocked.Add(ref _continuationsReceived, continuations);
    }

    internal void ExportFailed() => Interlocked.Increment(ref _exportInvocationErrors);

    internal void ExportAcknowledged(int deleted, int failed)
    {
        Interlocked.Add(ref _recordsDeleted, deleted);
        Interlocked.Add(ref _recordsReportedFailed, failed);
    }

    internal void ForeignExportStarted() => Interlocked.Increment(ref _foreignExports);

    private int _finalChecks;
    private long _maxCheckLateMs;

    /// <summary>window.verified lines that were a window's last check.</summary>
    public int FinalChecks => Volatile.Read(ref _finalChecks);

    /// <summary>The latest a check ran after it was due (simulated ms, from window.verified's lateMs).</summary>
    public long MaxCheckLateMs => Interlocked.Read(ref _maxCheckLateMs);

    internal void VerificationCheck(bool final, long lateMs)
    {
        if (final)
        {
            Interlocked.Increment(ref _finalChecks);
        }

        long seen;
        do
        {
            seen = Interlocked.Read(ref _maxCheckLateMs);
        }
        while (lateMs > seen && Interlocked.CompareExchange(ref _maxCheckLateMs, lateMs, seen) != seen);
    }

    internal void TelemetryEvent(string name, string? reason)
    {
        _events.AddOrUpdate(name, 1, static (_, n) => n + 1);
        if (name == LogEvents.ExportDeferred && reason is not null)
        {
            _deferred.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        }
    }
}
