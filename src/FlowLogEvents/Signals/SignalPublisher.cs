using System.Collections.Concurrent;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Signals;

/// <summary>
/// Turns a decoded subscription delivery into at most one signal per log group per debounce window.
/// Two layers collapse bursts: this warm instance remembers what it already sent (and sends nothing
/// again), and SQS FIFO drops a second message with the same deduplication id sent by another
/// instance within five minutes. Neither loses data: a signal asks for everything up to the end of
/// its window to be exported (see <see cref="Signal.ExportThrough"/>). A delivery whose events are
/// older than the settle delay (minus the clock skew margin) is exempt from both, so the export
/// function sees its stream and range and can report (or re-export) them if they arrived too late.
/// </summary>
public sealed class SignalPublisher
{
    /// <summary>All export work shares one message group: AWS allows one active export task per account.</summary>
    public const string MessageGroupId = Ids.MessageGroupId;

    private const int MaxRemembered = 4096;

    private readonly IQueueSender _queue;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;

    // Per execution environment, not per invocation: log group -> what we last sent for it.
    private readonly ConcurrentDictionary<string, Sent> _sent = new(StringComparer.Ordinal);

    private readonly TimeSpan? _lateAfter;

    /// <param name="lateAfter">
    /// A delivery whose first event is at least this old (settle delay minus clock skew margin) may be
    /// for a range already exported: it is never suppressed, and its deduplication id names its stream
    /// and range, so neither this instance's memory nor FIFO deduplication folds it into another signal.
    /// Null: no delivery is treated as possibly late.
    /// </param>
    public SignalPublisher(IQueueSender queue, TimeSpan debounce, TimeProvider time, Telemetry telemetry, TimeSpan? lateAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(debounce, TimeSpan.FromSeconds(1));
        _queue = queue;
        _debounce = debounce;
        _time = time;
        _telemetry = telemetry;
        _lateAfter = lateAfter;
    }

    public Task<PublishResult> PublishAsync(SubscriptionSummary delivery, CancellationToken ct) => PublishAsync(delivery, null, ct);

    /// <summary>
    /// Signals a delivery Lambda gave up on (read back from the on-failure destination): a signal of this debounce
    /// window that is never suppressed and whose deduplication id names the delivery's stream and range, so neither
    /// this instance's memory nor FIFO deduplication folds it into another signal; the export function judges its
    /// range (exports it, or reports it as late) like any other.
    /// </summary>
    public Task<PublishResult> PublishRecoveredAsync(SubscriptionSummary delivery, FailedDelivery failure, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return PublishAsync(delivery, failure, ct);
    }

    private async Task<PublishResult> PublishAsync(SubscriptionSummary delivery, FailedDelivery? recovered, CancellationToken ct)
    {
        if (delivery.IsControlMessage)
        {
            _telemetry.Info(LogEvents.SignalSkipped, ("reason", "control message"), ("logGroup", delivery.LogGroup));
            return PublishResult.IgnoredControlMessage;
        }

        var logGroup = delivery.LogGroup!;
        if (delivery.EventCount == 0)
        {
            _telemetry.Warn(LogEvents.SignalSkipped, ("reason", "data message without events"), ("logGroup", logGroup), ("logStream", delivery.LogStream));
            return PublishResult.IgnoredEmpty;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var debounceMs = (long)_debounce.TotalMilliseconds;
        var windowStart = now - (now % debounceMs);
        var signal = new Signal
        {
            LogGroup = logGroup,
            Owner = delivery.Owner,
            LogStream = delivery.LogStream,
            FirstEventTime = delivery.FirstEventTime,
            LastEventTime = delivery.LastEventTime,
            EventCount = delivery.EventCount,
            OnTimeFirstEventTime = delivery.FirstOnTimeEventTime is { } onTime && onTime != delivery.FirstEventTime ? onTime : null,
            WindowStart = windowStart,
            WindowEnd = windowStart + debounceMs,
        };

        var possiblyLate = _lateAfter is { } lateAfter && delivery.FirstEventTime <= now - (long)lateAfter.TotalMilliseconds;
        if (recovered is null && !possiblyLate && _sent.TryGetValue(logGroup, out var previous) && previous.WindowStart == windowStart && previous.ExportThrough >= signal.ExportThrough)
        {
            _telemetry.Info(
                LogEvents.SignalSuppressed,
                ("reason", "this instance already signalled this log group in this debounce window"),
                ("logGroup", logGroup),
                ("logStream", delivery.LogStream),
                ("windowStart", windowStart),
                ("events", delivery.EventCount));
            _telemetry.Metric(MetricNames.SignalsSuppressed, 1, MetricUnit.Count);
            return PublishResult.SuppressedWarm;
        }

        // Same log group and window -> same id, so FIFO deduplication collapses signals from other
        // instances. Events stamped beyond the window's end (producer clocks ahead) need their own id.
        // A possibly late delivery keeps its own range: its id names the stream and the range.
        // Subtle but sound (code review, issue 12): the same id implies the same export target. Signals that share an id
        // share the log group and window, so they ask for the same ExportThrough (the window's end, or the LastEventTime
        // named in the id); the one SQS keeps asks for everything the dropped ones did.
        var deduplicationId = recovered is not null
            ? Ids.RecoveredSignal(logGroup, windowStart, delivery.LogStream ?? string.Empty, signal.FirstEventTime, signal.LastEventTime)
            : possiblyLate
            ? Ids.LateSignal(logGroup, windowStart, delivery.LogStream ?? string.Empty, signal.FirstEventTime, signal.LastEventTime)
            : signal.LastEventTime < signal.WindowEnd
                ? Ids.WindowSignal(logGroup, windowStart)
                : Ids.WindowSignalBeyondEnd(logGroup, windowStart, signal.LastEventTime);

        await _queue.SendAsync(new QueueMessage(SignalCodec.Encode(signal), MessageGroupId, deduplicationId), ct).ConfigureAwait(false);
        if (!_sent.TryGetValue(logGroup, out var remembered) || remembered.WindowStart != windowStart || remembered.ExportThrough < signal.ExportThrough)
        {
            Remember(logGroup, new Sent(windowStart, signal.ExportThrough));
        }

        if (recovered is not null)
        {
            _telemetry.Warn(
                LogEvents.SignalRecovered,
                ("logGroup", logGroup),
                ("logStream", delivery.LogStream),
                ("windowStart", windowStart),
                ("firstEventTime", signal.FirstEventTime),
                ("lastEventTime", signal.LastEventTime),
                ("events", delivery.EventCount),
                ("requestId", recovered.RequestId),
                ("condition", recovered.Condition),
                ("approximateInvokeCount", recovered.ApproximateInvokeCount),
                ("deduplicationId", deduplicationId));
            _telemetry.Metric(MetricNames.SignalsRecovered, 1, MetricUnit.Count);
            return PublishResult.Sent;
        }

        _telemetry.Info(
            LogEvents.SignalSent,
            ("logGroup", logGroup),
            ("logStream", delivery.LogStream),
            ("windowStart", windowStart),
            ("firstEventTime", signal.FirstEventTime),
            ("lastEventTime", signal.LastEventTime),
            ("events", delivery.EventCount),
            ("possiblyLate", possiblyLate),
            ("deduplicationId", deduplicationId));
        _telemetry.Metric(MetricNames.SignalsSent, 1, MetricUnit.Count);
        return PublishResult.Sent;
    }

    /// <summary>A short, stable, id-safe digest of a log group name (<see cref="Ids.Hash"/>).</summary>
    public static string Hash(string value) => Ids.Hash(value);

    private void Remember(string logGroup, Sent sent)
    {
        if (_sent.Count >= MaxRemembered)
        {
            _sent.Clear();
        }

        _sent[logGroup] = sent;
    }

    private readonly record struct Sent(long WindowStart, long ExportThrough);
}
