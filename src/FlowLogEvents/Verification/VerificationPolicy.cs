namespace FlowLogEvents.Verification;

/// <summary>When windows are verified and what a shortfall leads to.</summary>
public sealed record VerificationPolicy
{
    /// <summary>The default first check: 5 minutes after the window's task completed, past the verification sources' own lag.</summary>
    public static readonly TimeSpan DefaultFirstAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The default last check: 12 hours 15 minutes after the task completed. "Log data can take up to 12 hours to become
    /// available for export" (CloudWatch Logs user guide); 15 minutes more for the sources' lag and clock skew. After it the
    /// window counts as final.
    /// </summary>
    public static readonly TimeSpan DefaultFinalAfter = TimeSpan.FromHours(12) + TimeSpan.FromMinutes(15);

    /// <summary>First check, after the task completed.</summary>
    public TimeSpan FirstAfter { get; init; } = DefaultFirstAfter;

    /// <summary>Last check, after the task completed; the window is final once it passes.</summary>
    public TimeSpan FinalAfter { get; init; } = DefaultFinalAfter;

    /// <summary>How soon a check that could not compare, or left a shortfall, is tried again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True: missing events are written (LATE_EVENTS=repair); false: they are only reported (LATE_EVENTS=report).</summary>
    public bool Repair { get; init; } = true;

    /// <summary>Windows one run verifies at most (each costs a query and reads its objects).</summary>
    public int MaxWindowsPerRun { get; init; } = 2;

    /// <summary>How many windows a checkpoint may hold awaiting verification (a checkpoint must stay small).</summary>
    public const int MaxPending = 5000;
}
