namespace FlowLogEvents.Exports;

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

    /// <summary>
    /// How exported windows are verified against CloudWatch Logs and repaired; null: not verified (tests of the export
    /// lifecycle alone). The function's settings always set it (<see cref="Configuration.ExportSettings"/>).
    /// </summary>
    public Verification.VerificationPolicy? Verification { get; init; }

    /// <summary>Configured settle delay plus the clock skew margin: the bound late-record detection and the signal function use.</summary>
    public long SettledLagMillis => (long)(SettleDelay + ClockSkewMargin).TotalMilliseconds;

    /// <summary>
    /// SETTLE_DELAY_MODE=learn: windows end behind the delivery lag the log group's signals show (see
    /// <see cref="Settling.SettleLearner"/>), at most <see cref="SettleDelay"/>; false (fixed): behind <see cref="SettleDelay"/>.
    /// </summary>
    public bool LearnSettleDelay { get; init; }

    /// <summary>The settle delay learned for the current run (null: the configured one).</summary>
    public TimeSpan? LearnedSettleDelay { get; init; }

    /// <summary>How far behind now a window ends in this run: the learned (or configured) settle delay plus the clock skew margin.</summary>
    public long PlanningLagMillis => (long)((LearnedSettleDelay ?? SettleDelay) + ClockSkewMargin).TotalMilliseconds;

    public StartMode StartMode { get; init; } = StartMode.FirstSignal;

    public DateTimeOffset? FixedStart { get; init; }

    public required string ExportBucket { get; init; }

    public required string ExportPrefix { get; init; }

    /// <summary>
    /// Which deployment this is (the stack name): hashed into every task name, so that another stack in the account
    /// never adopts this one's tasks. Empty only where no stack exists (tests, tools).
    /// </summary>
    public string Deployment { get; init; } = string.Empty;

    /// <summary>
    /// How long after a task id was recorded DescribeExportTasks may still not know it (AWS promises no read-after-create)
    /// before the id is taken for lost: until then the window waits.
    /// </summary>
    public static readonly TimeSpan UnknownTaskGrace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much earlier than its window's planning (minus <see cref="ClockSkewMargin"/>) a search by name still looks for
    /// a task. A name cannot exist before its window was planned; the slack keeps a clock further off than the margin
    /// (the local cloud's clock-skew scenarios run 3 minutes off with a 1-minute margin) from hiding our own task, which
    /// would export the window twice. It costs a few tasks more to read: the account's single export slot keeps the
    /// number of tasks created in 15 minutes small.
    /// </summary>
    public static readonly TimeSpan NameSearchSlack = TimeSpan.FromMinutes(15);

    /// <summary>The earliest creation time (CloudWatch's clock) of a task that can carry the name of a window planned at <paramref name="plannedAt"/>.</summary>
    public DateTimeOffset NameExistsSince(DateTimeOffset plannedAt) => plannedAt - ClockSkewMargin - NameSearchSlack;

    /// <summary>
    /// Deterministic: the same window and attempt always get the same name, so a retry adopts. Unique per deployment and
    /// destination: the stack name, bucket and destination prefix are hashed in. At most 99 characters, a late range's
    /// 121 (CreateExportTask allows 1 to 512).
    /// </summary>
    public string TaskName(string logGroup, long from, long to, int attempt) =>
        Ids.TaskName(TargetHash(DestinationPrefix(logGroup)), logGroup, from, to, attempt);

    /// <summary>
    /// The name a window takes when a task of another destination already has <paramref name="takenName"/> (another
    /// stack's task, or a name from before names carried the destination): <paramref name="fresh"/> (the window's
    /// name by <see cref="TaskName"/> or <see cref="LateTaskName"/>) unless the taken name is that one (or that one
    /// renamed before), else it with a hash of the taken name and the foreign task appended. Deterministic, at most
    /// 138 characters.
    /// </summary>
    public static string FreshTaskName(string takenName, string fresh, string foreignTaskId) =>
        Ids.FreshTaskName(takenName, fresh, foreignTaskId);

    /// <summary>Where CloudWatch writes this log group's exports: &lt;prefix&gt;/&lt;log group&gt;.</summary>
    public string DestinationPrefix(string logGroup)
    {
        var group = logGroup.TrimStart('/');
        var prefix = ExportPrefix.Trim('/');
        return prefix.Length == 0 ? group : $"{prefix}/{group}";
    }

    /// <summary>Where re-exports of late ranges go: &lt;prefix&gt;/&lt;log group&gt;/late.</summary>
    public string LateDestinationPrefix(string logGroup) => DestinationPrefix(logGroup) + "/late";

    /// <summary>Deterministic name of a late range's re-export task, unique per deployment and destination like <see cref="TaskName"/> (stream hashed: names stay short).</summary>
    public string LateTaskName(string logGroup, string logStream, long from, long to, int attempt) =>
        Ids.LateTaskName(TargetHash(LateDestinationPrefix(logGroup)), logGroup, logStream, from, to, attempt);

    /// <summary>As above, with the ingestion bound of the signal that brought the range: two deliveries of one range get two names.</summary>
    public string LateTaskName(string logGroup, string logStream, long from, long to, long? ingestedBy, int attempt) => ingestedBy is { } i
        ? Ids.LateTaskName(TargetHash(LateDestinationPrefix(logGroup)), logGroup, logStream, from, to, i, attempt)
        : LateTaskName(logGroup, logStream, from, to, attempt);

    private string TargetHash(string destinationPrefix) => Ids.TargetHash(Deployment, ExportBucket, destinationPrefix);
}
