namespace FlowLogEvents.Local.Faults;

/// <summary>
/// Faults injected into one local run, all drawn from seeded random generators (the run's seed), so a
/// schedule is reproducible up to thread timing. Rates are per occurrence (0-1). Defaults inject nothing.
/// </summary>
public sealed record FaultOptions
{
    public static FaultOptions None { get; } = new();

    /// <summary>
    /// Share of the functions' AWS requests (CloudWatch Logs, S3, SQS; every attempt, retries included)
    /// answered with a throttling or 5xx error of that service's wire format, without reaching the service.
    /// </summary>
    public double AwsErrorRate { get; init; }

    /// <summary>
    /// Share of the functions' AWS requests that reach the service (the operation happens) but whose
    /// response is lost: the caller sees a 5xx or a broken connection.
    /// </summary>
    public double LostResponseRate { get; init; }

    /// <summary>
    /// Share of the functions' conditional PutObjects (If-Match / If-None-Match) answered 409
    /// ConditionalRequestConflict without reaching S3, as if another writer raced them (S3: "On a 409 failure
    /// you should fetch the object's ETag and retry the upload"). Races the run itself makes get 409 at any rate.
    /// </summary>
    public double ConditionalConflictRate { get; init; }

    /// <summary>Crash points armed (names from <see cref="CrashSteps"/>); empty: no crash.</summary>
    public IReadOnlyList<string> CrashAt { get; init; } = [];

    /// <summary>Probability that reaching an armed crash point kills the process.</summary>
    public double CrashRate { get; init; } = 0.25;

    /// <summary>At most this many crashes per armed crash point.</summary>
    public int MaxCrashesPerStep { get; init; } = 3;

    /// <summary>Share of subscription deliveries delivered a second time (CloudWatch Logs at-least-once).</summary>
    public double DuplicateDeliveryRate { get; init; }

    /// <summary>Share of successfully processed SQS records the event source mapping "forgets" to delete (redelivered after the visibility timeout).</summary>
    public double ForgetDeleteRate { get; init; }

    /// <summary>Share of event-source batches also handed, at the same time, to a second export function (a manual backfill on the same checkpoints).</summary>
    public double ConcurrentExportRate { get; init; }

    /// <summary>Clock of both functions minus the cloud's clock (positive: the functions run ahead).</summary>
    public TimeSpan FunctionClockOffset { get; init; }

    /// <summary>Export tasks that end FAILED, spread over the traffic.</summary>
    public int FailedTasks { get; init; }

    /// <summary>Export tasks that end CANCELLED, spread over the traffic.</summary>
    public int CancelledTasks { get; init; }

    /// <summary>
    /// "Too much data for one task": every export task whose range is longer than this ends FAILED with no output
    /// (see <see cref="LocalCloud.CloudWatchLogsFront.FailTasksLongerThan"/>), after <see cref="TooLongTaskFailsAfter"/>.
    /// </summary>
    public TimeSpan? FailTasksLongerThan { get; init; }

    /// <summary>
    /// How long a task of <see cref="FailTasksLongerThan"/> runs before it fails: in AWS the 24-hour timeout, here
    /// compressed so that a run can watch several of them.
    /// </summary>
    public TimeSpan TooLongTaskFailsAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Share of data deliveries whose signal invocation fails on all three attempts (Lambda then gives up on it).</summary>
    public double SignalFailureRate { get; init; }

    /// <summary>How many of each log group's last deliveries fail on all three attempts (the trailing edge before silence).</summary>
    public int SignalFailureLastDeliveries { get; init; }

    /// <summary>
    /// A start-over mid-run, done the way docs/operations.md says ("A deleted checkpoint"): this long after the traffic starts, and
    /// once its checkpoint has completed an export, the checkpoint of the first log group with traffic is deleted (its work, data signals and continuations, is set
    /// aside in the DLQ while its marker remains), and <see cref="StartOverMarkerAfter"/> later its marker too, so its
    /// next signal starts it afresh; the run's DLQ replay then brings back what was set aside. Null: no start-over.
    /// </summary>
    public TimeSpan? StartOverAt { get; init; }

    /// <summary>
    /// A permanent error of one log group among healthy ones: for this long after the traffic starts, DescribeExportTasks
    /// shows every export task of the first log group with a status code the product does not know, so each of its runs
    /// that looks at its task fails; then the fault heals. Null: none.
    /// </summary>
    public TimeSpan? PoisonFirstLogGroupFor { get; init; }

    /// <summary>How long after the checkpoint the marker of a start-over is deleted (<see cref="StartOverAt"/>).</summary>
    public TimeSpan StartOverMarkerAfter { get; init; } = TimeSpan.FromMinutes(5);

    public bool Any =>
        AwsErrorRate > 0 || LostResponseRate > 0 || ConditionalConflictRate > 0 || CrashAt.Count > 0 || DuplicateDeliveryRate > 0 || ForgetDeleteRate > 0
        || ConcurrentExportRate > 0 || FunctionClockOffset != TimeSpan.Zero || FailedTasks > 0 || CancelledTasks > 0 || FailTasksLongerThan is not null
        || SignalFailureRate > 0 || SignalFailureLastDeliveries > 0
        || StartOverAt is not null || PoisonFirstLogGroupFor is not null;

    public void Validate()
    {
        foreach (var (name, rate) in new[] { ("AWS error rate", AwsErrorRate), ("lost response rate", LostResponseRate), ("conditional conflict rate", ConditionalConflictRate), ("crash rate", CrashRate), ("duplicate delivery rate", DuplicateDeliveryRate), ("forget delete rate", ForgetDeleteRate), ("concurrent export rate", ConcurrentExportRate), ("signal failure rate", SignalFailureRate) })
        {
            if (rate is < 0 or > 1)
            {
                throw new ArgumentException($"{name} must be between 0 and 1");
            }
        }

        if (AwsErrorRate + LostResponseRate > 0.5)
        {
            throw new ArgumentException("AWS error rate + lost response rate must not exceed 0.5");
        }

        if (CrashAt.FirstOrDefault(s => !CrashSteps.All.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"unknown crash point '{unknown}'; known: {string.Join(", ", CrashSteps.All)}");
        }

        if (FunctionClockOffset.Duration() > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("the function clock offset must be within one hour");
        }

        if (FailedTasks is < 0 or > 100 || CancelledTasks is < 0 or > 100)
        {
            throw new ArgumentException("failed and cancelled tasks must be between 0 and 100");
        }

        if (FailTasksLongerThan is { } span && (span < TimeSpan.FromMinutes(1) || span > TimeSpan.FromDays(30)))
        {
            throw new ArgumentException("the span beyond which tasks fail must be between 1 minute and 30 days");
        }

        if (SignalFailureLastDeliveries is < 0 or > 100)
        {
            throw new ArgumentException("the failing last deliveries per log group must be between 0 and 100");
        }

        if (TooLongTaskFailsAfter <= TimeSpan.Zero || TooLongTaskFailsAfter > TimeSpan.FromHours(24))
        {
            throw new ArgumentException("a too-long task must fail after between 0 and 24 hours");
        }

        if (PoisonFirstLogGroupFor is { } poisonFor && (poisonFor <= TimeSpan.Zero || poisonFor > TimeSpan.FromDays(2)))
        {
            throw new ArgumentException("the poisoning must last between 0 and 2880 minutes");
        }

        if (StartOverAt is { } at && (at < TimeSpan.Zero || at > TimeSpan.FromDays(2)))
        {
            throw new ArgumentException("the start-over must be between 0 and 2880 minutes after the traffic starts");
        }

        if (StartOverMarkerAfter < TimeSpan.Zero || StartOverMarkerAfter > TimeSpan.FromHours(2))
        {
            throw new ArgumentException("a start-over's marker must be deleted between 0 and 120 minutes after its checkpoint");
        }
    }

    /// <summary>A short human description for reports.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (AwsErrorRate > 0)
        {
            parts.Add($"AWS errors {AwsErrorRate:P0}");
        }

        if (LostResponseRate > 0)
        {
            parts.Add($"lost responses {LostResponseRate:P0}");
        }

        if (ConditionalConflictRate > 0)
        {
            parts.Add($"S3 409 ConditionalRequestConflict {ConditionalConflictRate:P0}");
        }

        if (CrashAt.Count > 0)
        {
            parts.Add(CrashAt.Count == CrashSteps.All.Count ? $"crashes at every point ({CrashRate:P0}, max {MaxCrashesPerStep} each)" : $"crash {string.Join("+", CrashAt)} ({CrashRate:P0}, max {MaxCrashesPerStep})");
        }

        if (SignalFailureRate > 0 || SignalFailureLastDeliveries > 0)
        {
            parts.Add($"signal invocations failing all 3 attempts: {SignalFailureRate:P0} of deliveries + each log group's last {SignalFailureLastDeliveries}");
        }

        if (DuplicateDeliveryRate > 0)
        {
            parts.Add($"duplicate deliveries {DuplicateDeliveryRate:P0}");
        }

        if (ForgetDeleteRate > 0)
        {
            parts.Add($"ESM forgets deletes {ForgetDeleteRate:P0}");
        }

        if (ConcurrentExportRate > 0)
        {
            parts.Add($"concurrent export function {ConcurrentExportRate:P0}");
        }

        if (FunctionClockOffset != TimeSpan.Zero)
        {
            parts.Add($"function clock {(FunctionClockOffset > TimeSpan.Zero ? "+" : "-")}{FunctionClockOffset.Duration().TotalMinutes:0.#} min");
        }

        if (FailedTasks > 0)
        {
            parts.Add($"{FailedTasks} tasks FAILED");
        }

        if (CancelledTasks > 0)
        {
            parts.Add($"{CancelledTasks} tasks CANCELLED");
        }

        if (FailTasksLongerThan is { } span)
        {
            parts.Add($"tasks longer than {span.TotalHours:0.##} h FAIL after {TooLongTaskFailsAfter.TotalMinutes:0.#} min");
        }

        if (PoisonFirstLogGroupFor is { } poison)
        {
            parts.Add($"the first log group's tasks show an unknown status for {poison.TotalMinutes:0.#} min");
        }

        if (StartOverAt is { } startOver)
        {
            parts.Add($"start-over at {startOver.TotalMinutes:0.#} min (marker {StartOverMarkerAfter.TotalMinutes:0.#} min later)");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
