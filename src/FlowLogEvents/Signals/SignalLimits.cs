using System.Globalization;

namespace FlowLogEvents.Signals;

/// <summary>
/// The times a signal can carry, judged on a clock (epoch milliseconds; pure: the caller passes now).
/// CloudWatch Logs' PutLogEvents rejects events older than 14 days or more than 2 hours in the future, so an
/// event it holds was ingested within those bounds, and a subscription delivers it to the signal function after
/// ingestion (Lambda keeps an asynchronous event at most 6 hours, MaximumEventAgeInSeconds). The signal function
/// stamps its signal with the debounce window it runs in. Anything outside these bounds is not a signal any path
/// of ours can produce: it is malformed, and taking it as work would start a backfill from 1970 or put times in
/// a checkpoint that no date can hold.
/// </summary>
public static class SignalLimits
{
    /// <summary>CloudWatch Logs accepts no event older than this at ingestion.</summary>
    public static readonly TimeSpan CloudWatchMaxEventAge = TimeSpan.FromDays(14);

    /// <summary>CloudWatch Logs accepts no event further in the future than this at ingestion.</summary>
    public static readonly TimeSpan CloudWatchMaxEventLead = TimeSpan.FromHours(2);

    /// <summary>The largest clock skew margin the settings accept (CLOCK_SKEW_SECONDS).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>Lambda's longest asynchronous event age (the template's MaximumEventAgeInSeconds is at most this).</summary>
    public static readonly TimeSpan MaxAsyncEventAge = TimeSpan.FromHours(6);

    /// <summary>The longest debounce window (DEBOUNCE_SECONDS).</summary>
    public static readonly TimeSpan MaxDebounce = TimeSpan.FromHours(1);

    /// <summary>
    /// How far a signal's first event may lie before its window: 14 days at ingestion, plus 6 hours of
    /// asynchronous retries, plus up to 14 days in the signal function's failure queue (SQS's longest retention)
    /// before the recovered signal is made, rounded up.
    /// </summary>
    public static readonly TimeSpan MaxEventAgeAtWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// How old a signal's window may be when the export function reads it. Each queue keeps a message at most
    /// 14 days; a continuation carries its window on, and a DLQ replay puts a signal back: a year is far past any of that.
    /// </summary>
    public static readonly TimeSpan MaxWindowAge = TimeSpan.FromDays(365);

    private static readonly long MaxEventLeadAtWindowMs = Ms(CloudWatchMaxEventLead + MaxClockSkew);
    private static readonly long MaxWindowLeadMs = Ms(MaxDebounce + MaxClockSkew);
    private static readonly long MaxDeliveryEventAgeMs = Ms(CloudWatchMaxEventAge + MaxAsyncEventAge + MaxClockSkew);

    /// <summary>What is wrong with <paramref name="signal"/>'s times on a clock that reads <paramref name="now"/>; null when nothing is.</summary>
    /// <remarks>Assumes the codec's order checks passed (first &lt;= last, windowStart &lt; windowEnd).</remarks>
    public static string? Violation(Signal signal, long now)
    {
        ArgumentNullException.ThrowIfNull(signal);

        // The window against the clock first: the event bounds below are relative to it, and both checks keep
        // the arithmetic inside long.
        if (signal.WindowStart < now - Ms(MaxWindowAge))
        {
            return $"signal windowStart {signal.WindowStart} ({Iso(signal.WindowStart)}) is more than {MaxWindowAge.TotalDays:0} days before now ({Iso(now)}): no path keeps a signal that long";
        }

        if (signal.WindowEnd > now + MaxWindowLeadMs)
        {
            return $"signal windowEnd {signal.WindowEnd} ({Iso(signal.WindowEnd)}) is more than {TimeSpan.FromMilliseconds(MaxWindowLeadMs).TotalMinutes:0} minutes after now ({Iso(now)}): a debounce window ends at most {MaxDebounce.TotalMinutes:0} minutes after it starts, on a clock at most {MaxClockSkew.TotalMinutes:0} minutes ahead";
        }

        if (signal.FirstEventTime < signal.WindowStart - Ms(MaxEventAgeAtWindow))
        {
            return $"signal firstEventTime {signal.FirstEventTime} ({Iso(signal.FirstEventTime)}) is more than {MaxEventAgeAtWindow.TotalDays:0} days before its windowStart {signal.WindowStart} ({Iso(signal.WindowStart)}): CloudWatch Logs accepts no event older than {CloudWatchMaxEventAge.TotalDays:0} days";
        }

        if (signal.LastEventTime > signal.WindowEnd + MaxEventLeadAtWindowMs)
        {
            return $"signal lastEventTime {signal.LastEventTime} ({Iso(signal.LastEventTime)}) is more than 2 h 15 min after its windowEnd {signal.WindowEnd} ({Iso(signal.WindowEnd)}): CloudWatch Logs accepts no event more than {CloudWatchMaxEventLead.TotalHours:0} hours in the future";
        }

        return null;
    }

    /// <summary>
    /// What is wrong with a subscription delivery's event times, for an invocation at <paramref name="invokedAt"/>
    /// (the signal function's clock, or for a recovered delivery the moment Lambda gave up on it); null when nothing is.
    /// </summary>
    public static string? DeliveryViolation(long firstEventTime, long lastEventTime, long invokedAt)
    {
        if (firstEventTime < invokedAt - MaxDeliveryEventAgeMs)
        {
            return $"subscription delivery's first event {firstEventTime} ({Iso(firstEventTime)}) is more than 14 days 6 h 15 min before the invocation ({Iso(invokedAt)}): CloudWatch Logs accepts no event older than {CloudWatchMaxEventAge.TotalDays:0} days, and Lambda keeps an asynchronous event at most {MaxAsyncEventAge.TotalHours:0} hours";
        }

        if (lastEventTime > invokedAt + MaxEventLeadAtWindowMs)
        {
            return $"subscription delivery's last event {lastEventTime} ({Iso(lastEventTime)}) is more than 2 h 15 min after the invocation ({Iso(invokedAt)}): CloudWatch Logs accepts no event more than {CloudWatchMaxEventLead.TotalHours:0} hours in the future";
        }

        return null;
    }

    /// <summary>An epoch-millisecond instant as ISO-8601 UTC, or a note that no date can hold it.</summary>
    public static string Iso(long millis) =>
        millis is < -62_135_596_800_000 or > 253_402_300_799_999
            ? "not a representable instant"
            : DateTimeOffset.FromUnixTimeMilliseconds(millis).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;
}
