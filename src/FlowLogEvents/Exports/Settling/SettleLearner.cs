namespace FlowLogEvents.Exports.Settling;

/// <summary>
/// The self-tuning settle delay, as pure functions. A log group's recent delivery lags (from its data signals, kept in the
/// checkpoint) give the delay its windows end behind now: the 95th percentile of the lags plus a margin, at least
/// <see cref="MinSettleDelay"/> and at most the configured SETTLE_DELAY_SECONDS. Until <see cref="MinSamples"/> lags are
/// known it is the configured delay (a conservative start).
/// </summary>
/// <remarks>
/// Only lags below the configured delay minus the clock skew margin are learned: a delivery at least that old may be late
/// (the signal function never folds it away, so it reaches the export function as its own signal), and late deliveries
/// are the verification's business (a late signal brings its window's check forward), not the settle delay's. For the same
/// reason a window's first check is never due before its end plus the configured delay, the clock skew margin and
/// VERIFY_FIRST_AFTER_SECONDS (<see cref="Verification.VerificationSchedule.Enqueue"/>): every delivery the signal function
/// may fold away has arrived and is visible by then, so a window that ended earlier than it used to loses nothing.
/// </remarks>
public static class SettleLearner
{
    /// <summary>Lags a checkpoint keeps (the most recent by ingestion bound).</summary>
    public const int MaxSamples = 64;

    /// <summary>Lags needed before the learned delay replaces the configured one.</summary>
    public const int MinSamples = 16;

    /// <summary>Added to the 95th percentile of the lags.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MinSettleDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The lags this work's data signals tell (from each delivery's oldest on-time event: late records riding along in it
    /// do not hide the ordinary lag), below the configured delay minus the clock skew margin.
    /// </summary>
    public static IReadOnlyList<DeliveryLagSample> Samples(ExportWork work, ExportPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(policy);
        var bound = (long)(policy.SettleDelay - policy.ClockSkewMargin).TotalMilliseconds;
        return work.DataRanges
            .Select(r => new DeliveryLagSample(r.IngestedBy, r.IngestedBy - (r.OnTimeFirst ?? r.First)))
            .Where(s => s.LagMillis >= 0 && s.LagMillis < bound)
            .Distinct()
            .ToList();
    }

    /// <summary>The checkpoint's lags with <paramref name="fresh"/> ones added: each once, the <see cref="MaxSamples"/> most recent.</summary>
    public static EquatableList<DeliveryLagSample> Merge(IReadOnlyList<DeliveryLagSample> kept, IReadOnlyList<DeliveryLagSample> fresh)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(fresh);
        return new(kept.Concat(fresh).Distinct().OrderBy(s => s.IngestedBy).ThenBy(s => s.LagMillis).TakeLast(MaxSamples));
    }

    /// <summary>The settle delay windows end behind now with these lags (the configured one when not learning or too few are known).</summary>
    public static TimeSpan SettleDelay(IReadOnlyList<DeliveryLagSample> samples, ExportPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.LearnSettleDelay || samples.Count < MinSamples)
        {
            return policy.SettleDelay;
        }

        var sorted = samples.Select(s => s.LagMillis).Order().ToArray();
        var p95 = sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];
        var learned = TimeSpan.FromMilliseconds(p95) + Margin;
        return learned < MinSettleDelay ? MinSettleDelay : learned > policy.SettleDelay ? policy.SettleDelay : learned;
    }
}
