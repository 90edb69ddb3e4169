namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>economy</c>: signal invocations and SendMessage calls per (log group, debounce window), export tasks per hour, freshness.</summary>
public sealed record EconomySection(
    int LogGroupWindows,
    double InvocationsPerLogGroupWindow,
    double SendMessagePerLogGroupWindow,
    int MaxSendMessagePerLogGroupWindow,
    int MaxSendMessagePerLogGroupWindowPerInstance,
    double ExportTasksPerSimulatedHour,
    int ExportedRecordsMeasured,
    double FreshnessP50Seconds,
    double FreshnessP99Seconds,
    double FreshnessMaxSeconds)
{
    public static EconomySection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var signals = result.Counters.Signals;
        return new EconomySection(
            signals.Windows,
            Math.Round(signals.InvocationsPerWindow, 2),
            Math.Round(signals.SendsPerWindow, 2),
            signals.MaxSendsPerWindow,
            signals.MaxSendsPerWindowPerInstance,
            Math.Round(RunReport.TasksPerHour(result), 1),
            result.Tasks.FreshnessMs.Count,
            Math.Round(result.Tasks.Freshness(50).TotalSeconds, 1),
            Math.Round(result.Tasks.Freshness(99).TotalSeconds, 1),
            Math.Round(result.Tasks.Freshness(100).TotalSeconds, 1));
    }
}
