namespace FlowLogEvents.Verification;

/// <summary>What one verification of a window found.</summary>
public enum VerificationOutcome
{
    /// <summary>Every stream's exported lines equal CloudWatch Logs' count.</summary>
    Match,

    /// <summary>Streams fell short and every missing event was written in a repair.</summary>
    Repaired,

    /// <summary>Streams fell short and some missing events could not be found or written yet (or LATE_EVENTS=report).</summary>
    Incomplete,

    /// <summary>CloudWatch Logs' record could not be read (a query failed, timed out, or had too many streams): nothing was compared.</summary>
    Unverifiable,
}
