namespace FlowLogEvents.Verification;

/// <summary>One log stream of a window whose exported lines differ from CloudWatch Logs' count.</summary>
/// <param name="Held">Events CloudWatch Logs holds in the window (Logs Insights' count).</param>
/// <param name="Exported">Lines in the window's exported objects (task output and earlier repairs) before this check wrote.</param>
/// <param name="Repaired">Events this check wrote in a repair.</param>
/// <param name="Unrepaired">Events still missing after this check.</param>
public sealed record StreamFinding(string LogStream, long Held, long Exported, long Repaired, long Unrepaired)
{
    /// <summary>Exported lines beyond what CloudWatch Logs holds: duplicates, reported, never deleted.</summary>
    public long Surplus => Math.Max(0, Exported - Held);
}
