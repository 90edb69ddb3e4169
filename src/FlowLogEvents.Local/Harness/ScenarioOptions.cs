using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>What one local run simulates. Times are simulated time unless they say otherwise.</summary>
public sealed record ScenarioOptions
{
    /// <summary>How many VPC flow log groups receive traffic.</summary>
    public int LogGroups { get; init; } = 3;

    /// <summary>Network interfaces per log group; each writes its own log stream.</summary>
    public int EnisPerLogGroup { get; init; } = 20;

    /// <summary>How long traffic is generated.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Flow records per ENI per minute of traffic.</summary>
    public int RecordsPerEniPerMinute { get; init; } = 4;

    /// <summary>VPC Flow Logs aggregation interval: 1 or 10 minutes; 10 is AWS's default.</summary>
    public int AggregationMinutes { get; init; } = 10;

    /// <summary>Typical delay between the end of an aggregation interval and its delivery (jittered ±50 %).</summary>
    public TimeSpan DeliveryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Share of records that arrive late (0-1).</summary>
    public double LateFraction { get; init; } = 0.05;

    /// <summary>
    /// A late record's timestamp is up to this much older than its delivery (half to all of it). 40 minutes by default,
    /// beyond the 21-minute settle delay: the export misses such records and the verification repairs them.
    /// </summary>
    public TimeSpan Lateness { get; init; } = TimeSpan.FromMinutes(40);

    /// <summary>How many log groups fall silent halfway through the traffic.</summary>
    public int SilentLogGroups { get; init; } = 1;

    /// <summary>
    /// Time compression: simulated seconds per real second (1 = real time). 30 for the default run: with the functions
    /// as processes, 3 log groups x 20 ENIs at speed 60 saturate a 2-core machine (the harness fell 47 simulated
    /// minutes behind its clock and the run failed); at 30 the run is on schedule and passes in about 3 minutes.
    /// </summary>
    public double Speed { get; init; } = 30;

    public int Seed { get; init; } = 42;

    /// <summary>SETTLE_DELAY_SECONDS; null keeps serverless.template's default.</summary>
    public TimeSpan? SettleDelay { get; init; }

    /// <summary>SETTLE_DELAY_MODE (<c>learn</c> or <c>fixed</c>); null keeps serverless.template's default (learn).</summary>
    public string? SettleDelayMode { get; init; }

    /// <summary>CLAIM_LEASE_SECONDS; null keeps serverless.template's default.</summary>
    public TimeSpan? ClaimLease { get; init; }

    /// <summary>MIN_EXPORT_WINDOW_SECONDS; null keeps serverless.template's default.</summary>
    public TimeSpan? MinExportWindow { get; init; }

    /// <summary>LATE_EVENTS (<c>report</c> or <c>reexport</c>); null keeps serverless.template's default.</summary>
    public string? LateEvents { get; init; }

    /// <summary>
    /// EXPORT_START (ExportStart) this long before the traffic starts: every log group's first export is a backfill of
    /// that span (with no records in it). Null keeps serverless.template's default (first-signal).
    /// </summary>
    public TimeSpan? ExportStartBeforeTraffic { get; init; }

    /// <summary>DEBOUNCE_SECONDS; null keeps serverless.template's default.</summary>
    public TimeSpan? Debounce { get; init; }

    /// <summary>
    /// Export tasks of another tool in the same account, spread over the traffic: each holds the
    /// account's single export slot for <see cref="ForeignExportDuration"/>, so our CreateExportTask
    /// meets LimitExceededException as it would in AWS.
    /// </summary>
    public int ForeignExports { get; init; } = 2;

    public TimeSpan ForeignExportDuration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// COMPLETED export tasks of another tool the account already holds when the run starts (one a minute before it):
    /// DescribeExportTasks lists them after every task of the run, as AWS keeps an account's task history.
    /// </summary>
    public int TaskHistory { get; init; }

    /// <summary>
    /// AWS promises no read-after-create: DescribeExportTasks does not show a new task until this long after its
    /// creation. Zero: visible at once.
    /// </summary>
    public TimeSpan DescribeLag { get; init; }

    /// <summary>Warm execution environments of the signal function.</summary>
    public int SignalInstances { get; init; } = 3;

    /// <summary>How long after the last delivery the exports may take before the run fails.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(120);

    /// <summary>
    /// Wait until every exported window has passed its last verification check (12 h 15 min after its export, the
    /// template's VerifyFinalAfterSeconds) instead of its first: the run lasts that much more simulated time.
    /// </summary>
    public bool UntilFinal { get; init; }

    /// <summary>The drain timeout, plus the wait for the last checks when <see cref="UntilFinal"/>.</summary>
    public TimeSpan EffectiveDrainTimeout => DrainTimeout + (UntilFinal ? FlowLogEvents.Verification.VerificationPolicy.DefaultFinalAfter : TimeSpan.Zero);

    /// <summary>
    /// The largest lag between an event's ingestion and its availability to export tasks (<c>--availability-lag</c>,
    /// up to AWS's 12 hours; spread in <see cref="LocalCloud.AvailabilityLag"/>). Zero: available at ingestion. 30 minutes by
    /// default: exports miss a share of recent events, as AWS warns they may, and the verification must find them.
    /// </summary>
    public TimeSpan AvailabilityLag { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest lag between an event's ingestion and its visibility to FilterLogEvents and Logs Insights (<c>--query-lag</c>).</summary>
    public TimeSpan QueryLag { get; init; } = LocalCloud.AvailabilityLag.DefaultQueryLag;

    /// <summary>How long emulated export tasks stay PENDING and RUNNING.</summary>
    public ExportTaskTiming ExportTiming { get; init; } = ExportTaskTiming.Default;

    /// <summary>
    /// When the exports are done and the dead-letter queue holds signals, replay them as the operator
    /// procedure of docs/operations.md does (up to 3 rounds) and verify after their exports; false leaves them in the DLQ.
    /// </summary>
    public bool ReplayDeadLetters { get; init; } = true;

    /// <summary>Faults injected into the run (none by default).</summary>
    public FaultOptions Faults { get; init; } = FaultOptions.None;

    /// <summary>Folder of the run's function log and report; null: artifacts/local-runs/&lt;UTC stamp&gt;.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    /// <summary>
    /// The published function package (a folder with <c>bootstrap</c> at its root) whose processes the run
    /// starts as Lambda would; null runs the handlers in-process instead (only for harness tests that need
    /// a handler's internals).
    /// </summary>
    public string? PackageDirectory { get; init; }

    /// <summary>The template the run deploys (its queues, parameters, environments and IAM roles); null: the embedded serverless.template.</summary>
    public LocalCloud.ServerlessTemplate? Template { get; init; }

    public void Validate()
    {
        Require(LogGroups is >= 1 and <= 50, "log groups must be between 1 and 50");
        Require(EnisPerLogGroup is >= 1 and <= 500, "ENIs per log group must be between 1 and 500");
        Require(Duration >= TimeSpan.FromMinutes(1) && Duration <= TimeSpan.FromDays(2), "simulated minutes must be between 1 and 2880");
        Require(RecordsPerEniPerMinute is >= 1 and <= 1000, "records per ENI per minute must be between 1 and 1000");
        Require(AggregationMinutes is 1 or 10, "aggregation must be 1 or 10 minutes");
        Require(DeliveryDelay >= TimeSpan.Zero && DeliveryDelay <= TimeSpan.FromHours(2), "delivery delay must be between 0 and 120 minutes");
        Require(LateFraction is >= 0 and <= 1, "late fraction must be between 0 and 1");
        Require(Lateness >= TimeSpan.Zero && Lateness <= TimeSpan.FromHours(12), "lateness must be between 0 and 720 minutes");
        Require(SilentLogGroups >= 0 && SilentLogGroups <= LogGroups, "silent log groups must be between 0 and the number of log groups");
        Require(Speed is >= 1 and <= 1000, "speed must be between 1 (real time) and 1000");
        Require(SignalInstances is >= 1 and <= 32, "signal instances must be between 1 and 32");
        Require(SettleDelay is null || (SettleDelay >= TimeSpan.Zero && SettleDelay <= TimeSpan.FromHours(24)), "settle delay must be between 0 and 86400 seconds");
        Require(ClaimLease is null || (ClaimLease >= TimeSpan.FromSeconds(60) && ClaimLease <= TimeSpan.FromHours(24)), "claim lease must be between 60 and 86400 seconds");
        Require(Debounce is null || (Debounce >= TimeSpan.FromSeconds(1) && Debounce <= TimeSpan.FromHours(1)), "debounce must be between 1 and 3600 seconds");
        Require(MinExportWindow is null || (MinExportWindow >= TimeSpan.FromSeconds(1) && MinExportWindow <= TimeSpan.FromHours(24)), "minimum export window must be between 1 and 86400 seconds");
        Require(LateEvents is null or "repair" or "report" or "reexport", "late events must be 'repair', 'report' or 'reexport'");
        Require(SettleDelayMode is null or "learn" or "fixed", "the settle delay mode must be 'learn' or 'fixed'");
        Require(ExportStartBeforeTraffic is null || (ExportStartBeforeTraffic >= TimeSpan.Zero && ExportStartBeforeTraffic <= TimeSpan.FromDays(7)), "the export start must be between 0 and 7 days before the traffic");
        Require(ForeignExports is >= 0 and <= 100, "foreign exports must be between 0 and 100");
        Require(ForeignExportDuration > TimeSpan.Zero && ForeignExportDuration <= TimeSpan.FromHours(2), "a foreign export must last between 0 and 120 minutes");
        Require(TaskHistory is >= 0 and <= 100_000, "task history must be between 0 and 100000 tasks");
        Require(DescribeLag >= TimeSpan.Zero && DescribeLag <= TimeSpan.FromMinutes(5), "the describe lag must be between 0 and 300 seconds");
        Require(AvailabilityLag >= TimeSpan.Zero && AvailabilityLag <= LocalCloud.AvailabilityLag.MaxExportLag, "the availability lag must be between 0 and 720 minutes");
        Require(QueryLag >= TimeSpan.Zero && QueryLag <= TimeSpan.FromHours(1), "the query lag must be between 0 and 3600 seconds");
        Require(DrainTimeout > TimeSpan.Zero, "drain timeout must be positive");
        Require(ExportTiming is not null && ExportTiming.PendingFor >= TimeSpan.Zero && ExportTiming.RunningBase >= TimeSpan.Zero && ExportTiming.RunningBase + ExportTiming.PendingFor <= TimeSpan.FromHours(48), "the export task time must be between 0 and 2880 minutes");
        Require(Faults is not null, "faults must not be null");
        Faults!.Validate();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
