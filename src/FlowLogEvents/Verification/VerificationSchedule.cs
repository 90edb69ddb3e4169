using FlowLogEvents.Exports;

namespace FlowLogEvents.Verification;

/// <summary>
/// The verification schedule of a checkpoint, as pure functions: a window is queued by the write that records its task
/// COMPLETED, checked first <see cref="VerificationPolicy.FirstAfter"/> and last <see cref="VerificationPolicy.FinalAfter"/>
/// after that, and leaves the checkpoint when its last check finds nothing missing (or everything repaired). A check that
/// could not compare, or left a shortfall, is tried again after <see cref="VerificationPolicy.RetryAfter"/>.
/// </summary>
public static class VerificationSchedule
{
    /// <summary>
    /// The checkpoint with the completed window (or range before the start) queued for its checks. The first is due
    /// <see cref="VerificationPolicy.FirstAfter"/> after the task completed, and never before the window's end plus
    /// <paramref name="settledLagMillis"/> (the configured settle delay plus the clock skew margin) plus FirstAfter: a window
    /// that ended behind a learned, shorter delay is checked only once every delivery that is not flagged late has arrived.
    /// </summary>
    public static Checkpoint Enqueue(Checkpoint checkpoint, long from, long to, string taskId, DateTimeOffset completedAt, VerificationPolicy policy, bool beforeStart = false, long settledLagMillis = 0)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(policy);
        var notBefore = DateTimeOffset.FromUnixTimeMilliseconds(to + settledLagMillis) + policy.FirstAfter;
        var due = completedAt + policy.FirstAfter;
        var entry = new PendingVerification { From = from, To = to, TaskId = taskId, CompletedAt = completedAt, DueAt = due > notBefore ? due : notBefore, BeforeStart = beforeStart };
        return checkpoint with
        {
            Verifications = new(checkpoint.Verifications.Append(entry).OrderBy(v => v.From).ThenBy(v => v.To)),
            VerifiedFrom = checkpoint.VerifiedFrom ?? (beforeStart ? null : from),
        };
    }

    /// <summary>The windows due at <paramref name="now"/>, earliest due first.</summary>
    public static IReadOnlyList<PendingVerification> Due(Checkpoint checkpoint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.Verifications.Where(v => v.DueAt <= now).OrderBy(v => v.DueAt).ThenBy(v => v.From).ToList();
    }

    /// <summary>When the next check is due; null when nothing awaits verification.</summary>
    public static DateTimeOffset? NextDue(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.Verifications.Count == 0 ? null : checkpoint.Verifications.Min(v => v.DueAt);
    }

    /// <summary>True when this check of <paramref name="entry"/>, made at <paramref name="now"/>, is its last one.</summary>
    public static bool IsFinalCheck(PendingVerification entry, DateTimeOffset now, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(policy);
        return now >= entry.CompletedAt + policy.FinalAfter;
    }

    /// <summary>
    /// The checkpoint after one check of <paramref name="entry"/>; null when the checkpoint no longer holds that entry as
    /// it was when the check started (another runner recorded a check first: its write stands, this one is dropped).
    /// </summary>
    public static Checkpoint? Apply(Checkpoint checkpoint, PendingVerification entry, VerificationResult result, DateTimeOffset now, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(policy);
        var index = IndexOf(checkpoint, entry);
        if (index < 0)
        {
            return null;
        }

        PendingVerification? next;
        var final = false;
        if (result.Outcome == VerificationOutcome.Unverifiable)
        {
            next = entry with { Failures = entry.Failures + 1, DueAt = now + policy.RetryAfter, LastOutcome = VerificationOutcome.Unverifiable };
        }
        else
        {
            var checkedEntry = entry with
            {
                Checks = entry.Checks + 1,
                Recheck = false,
                Failures = 0,
                Repaired = entry.Repaired + result.Repaired,
                Surplus = result.Surplus,
                Shortfall = result.Unrepaired,
                LastOutcome = result.Outcome,
            };
            if (result.Unrepaired > 0 && policy.Repair)
            {
                next = checkedEntry with { DueAt = now + policy.RetryAfter };
            }
            else if (IsFinalCheck(entry, now, policy))
            {
                next = null;
                final = true;
            }
            else
            {
                next = checkedEntry with { DueAt = entry.CompletedAt + policy.FinalAfter };
            }
        }

        var list = checkpoint.Verifications.ToList();
        if (next is null)
        {
            list.RemoveAt(index);
        }
        else
        {
            list[index] = next;
        }

        return checkpoint with
        {
            Verifications = new(list),
            RecordsRepaired = checkpoint.RecordsRepaired + (result.Outcome == VerificationOutcome.Unverifiable ? 0 : result.Repaired),
            WindowsFinal = checkpoint.WindowsFinal + (final ? 1 : 0),
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// The checkpoint with every window awaiting checks that overlaps [<paramref name="from"/>, <paramref name="to"/>] marked
    /// for a recheck due <see cref="VerificationPolicy.FirstAfter"/> from <paramref name="now"/> (or sooner, when it already
    /// was), and how many windows that is; null when nothing changes (none overlaps, or all are marked and due by then).
    /// A late signal's stream range is found this way by the window's next check instead of waiting for its last.
    /// </summary>
    public static (Checkpoint? Marked, int Windows) Recheck(Checkpoint checkpoint, long from, long to, DateTimeOffset now, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(policy);
        var due = now + policy.FirstAfter;
        var windows = 0;
        var changed = false;
        var list = checkpoint.Verifications.Select(v =>
        {
            if (v.To < from || v.From > to)
            {
                return v;
            }

            windows++;
            var marked = v with { Recheck = true, DueAt = v.DueAt < due ? v.DueAt : due };
            changed |= marked != v;
            return marked;
        }).ToList();
        return (changed ? checkpoint with { Verifications = new(list), UpdatedAt = now } : null, windows);
    }

    /// <summary>
    /// The last millisecond through which every window since <see cref="Checkpoint.VerifiedFrom"/> has had a check that
    /// left nothing missing; null before any window was queued.
    /// </summary>
    public static long? VerifiedThrough(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.VerifiedFrom is null)
        {
            return null;
        }

        var open = checkpoint.Verifications.Where(v => !v.BeforeStart && (v.Checks == 0 || v.Shortfall > 0 || v.Recheck)).Select(v => (long?)v.From).Min();
        return Math.Max(checkpoint.VerifiedFrom.Value - 1, (open ?? (checkpoint.ExportedThrough + 1)) - 1);
    }

    /// <summary>The last millisecond through which every window since <see cref="Checkpoint.VerifiedFrom"/> is final; null before any window was queued.</summary>
    public static long? FinalThrough(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.VerifiedFrom is null)
        {
            return null;
        }

        var open = checkpoint.Verifications.Where(v => !v.BeforeStart).Select(v => (long?)v.From).Min();
        return Math.Max(checkpoint.VerifiedFrom.Value - 1, (open ?? (checkpoint.ExportedThrough + 1)) - 1);
    }

    private static int IndexOf(Checkpoint checkpoint, PendingVerification entry)
    {
        for (var i = 0; i < checkpoint.Verifications.Count; i++)
        {
            if (checkpoint.Verifications[i] == entry)
            {
                return i;
            }
        }

        return -1;
    }
}
