using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Signals;

/// <summary>What the signal function did with one subscription delivery.</summary>
public enum PublishResult
{
    Sent,
    SuppressedWarm,
    IgnoredControlMessage,
    IgnoredEmpty,
}

/// <summary>
/// Turns a decoded subscription delivery into at most one signal per log group per debounce window.
/// Two layers collapse bursts: this warm instance remembers what it already sent (and sends nothing
/// again), and SQS FIFO drops a second message with the same deduplication id sent by another
/// instance within five minutes. Neither loses data: a signal asks for everything up to the end of
/// its window to be exported (see <see cref="Signal.ExportThrough"/>).
/// </summary>
public sealed class SignalPublisher
{
    /// <summary>All export work shares one message group: AWS allows one active export task per account.</summary>
    public const string MessageGroupId = "flowlogevents-exports";

    private const int MaxRemembered = 4096;

    private readonly IQueueSender _queue;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;

    // Per execution environment, not per invocation: log group -> what we last sent for it.
    private readonly ConcurrentDictionary<string, Sent> _sent = new(StringComparer.Ordinal);

    public SignalPublisher(IQueueSender queue, TimeSpan debounce, TimeProvider time, Telemetry telemetry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(debounce, TimeSpan.FromSeconds(1));
        _queue = queue;
        _debounce = debounce;
        _time = time;
        _telemetry = telemetry;
    }

    public async Task<PublishResult> PublishAsync(SubscriptionSummary delivery, CancellationToken ct)
    {
        if (delivery.IsControlMessage)
        {
            _telemetry.Info("signal.skipped", ("reason", "control message"), ("logGroup", delivery.LogGroup));
            return PublishResult.IgnoredControlMessage;
        }

        var logGroup = delivery.LogGroup!;
        if (delivery.EventCount == 0)
        {
            _telemetry.Warn("signal.skipped", ("reason", "data message without events"), ("logGroup", logGroup), ("logStream", delivery.LogStream));
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
            WindowStart = windowStart,
            WindowEnd = windowStart + debounceMs,
        };

        if (_sent.TryGetValue(logGroup, out var previous) && previous.WindowStart == windowStart && previous.ExportThrough >= signal.ExportThrough)
        {
            _telemetry.Info(
                "signal.suppressed",
                ("reason", "this instance already signalled this log group in this debounce window"),
                ("logGroup", logGroup),
                ("logStream", delivery.LogStream),
                ("windowStart", windowStart),
                ("events", delivery.EventCount));
            _telemetry.Metric("SignalsSuppressed", 1, MetricUnit.Count);
            return PublishResult.SuppressedWarm;
        }

        // Same log group and window -> same id, so FIFO deduplication collapses signals from other
        // instances. Events stamped beyond the window's end (producer clocks ahead) need their own id.
        var deduplicationId = signal.LastEventTime < signal.WindowEnd
            ? $"{Hash(logGroup)}-{windowStart}"
            : $"{Hash(logGroup)}-{windowStart}-{signal.LastEventTime}";

        await _queue.SendAsync(new QueueMessage(SignalCodec.Encode(signal), MessageGroupId, deduplicationId), ct).ConfigureAwait(false);
        Remember(logGroup, new Sent(windowStart, signal.ExportThrough));

        _telemetry.Info(
            "signal.sent",
            ("logGroup", logGroup),
            ("logStream", delivery.LogStream),
            ("windowStart", windowStart),
            ("firstEventTime", signal.FirstEventTime),
            ("lastEventTime", signal.LastEventTime),
            ("events", delivery.EventCount),
            ("deduplicationId", deduplicationId));
        _telemetry.Metric("SignalsSent", 1, MetricUnit.Count);
        return PublishResult.Sent;
    }

    /// <summary>A short, stable, id-safe digest of a log group name.</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));

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
