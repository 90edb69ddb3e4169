namespace FlowLogEvents.Verification;

/// <summary>
/// One exported window awaiting its checks, kept in the checkpoint from the write that records its task COMPLETED until
/// its final check finds nothing missing.
/// </summary>
public sealed record PendingVerification
{
    /// <summary>Inclusive bounds of the window, epoch ms.</summary>
    public required long From { get; init; }

    public required long To { get; init; }

    /// <summary>The COMPLETED task whose output (<c>&lt;prefix&gt;/&lt;log group&gt;/&lt;taskId&gt;/</c>) holds the window.</summary>
    public required string TaskId { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>When the next check is due.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Checks that compared (unverifiable attempts are not counted).</summary>
    public int Checks { get; init; }

    /// <summary>Unverifiable attempts in a row.</summary>
    public int Failures { get; init; }

    /// <summary>Events written by repairs of this window so far.</summary>
    public long Repaired { get; init; }

    /// <summary>Exported lines beyond what CloudWatch Logs holds at the last check (reported, never deleted).</summary>
    public long Surplus { get; init; }

    /// <summary>Events missing at the last check that no repair has written yet.</summary>
    public long Shortfall { get; init; }

    public VerificationOutcome? LastOutcome { get; init; }

    /// <summary>
    /// True when a late signal named a stream range of this window after a check: the next check (brought forward to
    /// <see cref="VerificationPolicy.FirstAfter"/> after the signal) looks for the late events. Cleared by that check.
    /// </summary>
    public bool Recheck { get; init; }

    /// <summary>True for a range before the start exported for the whole log group (not one of the contiguous windows).</summary>
    public bool BeforeStart { get; init; }
}
