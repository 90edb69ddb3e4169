namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>time</c>: the simulated span from the start of traffic, and the real seconds it took.</summary>
public sealed record TimeSection(DateTimeOffset SimulatedTrafficStart, DateTimeOffset SimulatedEnd, double RealSeconds)
{
    public static TimeSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new TimeSection(result.SimulatedStart, result.SimulatedEnd, Math.Round(result.RealDuration.TotalSeconds, 1));
    }
}
