using FlowLogEvents.Signals;

namespace FlowLogEvents.Exports;

public enum StartMode
{
    /// <summary>Start at the earliest event the first signals can stand for (default).</summary>
    FirstSignal,

    /// <summary>Start at the log group's creation time: export its retained history too.</summary>
    LogGroupCreation,

    /// <summary>Start at a fixed instant.</summary>
    Fixed,
}

/// <summary>What happens to events that arrive for a range already exported (later than the settle delay).</summary>
public enum LateEventsMode
{
    /// <summary>Count, log with stream and range, raise the LateSignals metric (and its alarm).</summary>
    Report,

    /// <summary>Report, and export the stream's late range again into the late prefix.</summary>
    Reexport,
}

/// <summary>The rules the export coordinator plans windows by.</summary>
public sealed record ExportPolicy
{
    /// <summary>
    /// The default <see cref="SettleDelay"/>, 21 minutes: VPC Flow Logs' default 10-minute aggregation, twice the
    /// "typically about 5 minutes" delivery to CloudWatch Logs, and the default 1-minute clock skew margin (a record is
    /// late when it arrives more than settle - skew after its timestamp, which is the record's start).
    /// </summary>
    public static readonly TimeSpan DefaultSettleDelay = TimeSpan.FromMinutes(21);

    /// <summary>How far behind now a window must end: VPC flow log records arrive up to 20 minutes after their timestamp with AWS's defaults.</summary>
    public TimeSpan SettleDelay { get; init; } = DefaultSettleDelay;

    /// <summary>A window shorter than this waits (unless it completes a signal), to keep tasks few.</summary>
    public TimeSpan MinWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest window one task covers (backfills are split into tasks of this size). Default 6 hours, a quarter of
    /// the 24 hours after which an export task times out: a task's time grows with the data in its range, so a window
    /// holds four times the data rate that would just fit a day-long task before it needs cutting.
    /// </summary>
    public TimeSpan MaxWindow { get; init; } = DefaultMaxWindow;

    public static readonly TimeSpan DefaultMaxWindow = TimeSpan.FromHours(6);

    /// <summary>
    /// A window is cut in two halves when this many of its tasks ended FAILED or CANCELLED (the first failure is
    /// retried as is: it may be transient). Halves start again at attempt 1.
    /// </summary>
    public int FailuresBeforeSplit { get; init; } = DefaultFailuresBeforeSplit;

    public const int DefaultFailuresBeforeSplit = 2;

    /// <summary>
    /// The floor of splitting: a window is cut only while both halves are at least this long. A window at the floor
    /// that keeps failing is retried as is and alarmed on (ExportWindowFloorFailures): its size is not the cause.
    /// </summary>
    public TimeSpan MinSplitWindow { get; init; } = DefaultMinSplitWindow;

    public static readonly TimeSpan DefaultMinSplitWindow = TimeSpan.FromMinutes(1);

    /// <summary>How long a claim to create a task protects it from other runners (>= function timeout).</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far our clock may be off CloudWatch's (either way). Windows end this much further behind now,
    /// and a signal's target reaches this much past its debounce window.
    /// </summary>
    public TimeSpan ClockSkewMargin { get; init; } = TimeSpan.Zero;

    public LateEventsMode LateEvents { get; init; } = LateEventsMode.Report;

    /// <summary>Settle delay plus the clock skew margin: how far behind now a window must end.</summary>
    public long SettledLagMillis => (long)(SettleDelay + ClockSkewMargin).TotalMilliseconds;

    public StartMode StartMode { get; init; } = StartMode.FirstSignal;

    public DateTimeOffset? FixedStart { get; init; }

    public required string ExportBucket { get; init; }

    public required string ExportPrefix { get; init; }

    /// <summary>Deterministic: the same window and attempt always get the same name, so a retry adopts.</summary>
    public static string TaskName(string logGroup, long from, long to, int attempt) =>
        $"flowlogevents-{SignalPublisher.Hash(logGroup)}-{from}-{to}-{attempt}";

    /// <summary>Where CloudWatch writes this log group's exports: &lt;prefix&gt;/&lt;log group&gt;.</summary>
    public string DestinationPrefix(string logGroup)
    {
        var group = logGroup.TrimStart('/');
        var prefix = ExportPrefix.Trim('/');
        return prefix.Length == 0 ? group : $"{prefix}/{group}";
    }

    /// <summary>Where re-exports of late ranges go: &lt;prefix&gt;/&lt;log group&gt;/late.</summary>
    public string LateDestinationPrefix(string logGroup) => DestinationPrefix(logGroup) + "/late";

    /// <summary>Deterministic name of a late range's re-export task (stream hashed: names allow few characters).</summary>
    public static string LateTaskName(string logGroup, string logStream, long from, long to, int attempt) =>
        $"flowlogevents-{SignalPublisher.Hash(logGroup)}-late-{SignalPublisher.Hash(logStream)}-{from}-{to}-{attempt}";

    /// <summary>As above, with the ingestion bound of the signal that brought the range: two deliveries of one range get two names.</summary>
    public static string LateTaskName(string logGroup, string logStream, long from, long to, long? ingestedBy, int attempt) => ingestedBy is { } i
        ? $"flowlogevents-{SignalPublisher.Hash(logGroup)}-late-{SignalPublisher.Hash(logStream)}-{from}-{to}-i{i}-{attempt}"
        : LateTaskName(logGroup, logStream, from, to, attempt);
}
