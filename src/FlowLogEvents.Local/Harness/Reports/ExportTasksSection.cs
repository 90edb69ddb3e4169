namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>exportTasks</c>: the emulated export tasks, and the other tool's tasks that held the slot.</summary>
public sealed record ExportTasksSection(int Created, int Completed, int Failed, int LimitExceededAnswers, int SeenPending, int SeenRunning, int ForeignTasksHoldingTheSlot)
{
    public static ExportTasksSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var t = result.Tasks;
        return new ExportTasksSection(t.Created, t.Completed, t.Failed, t.LimitExceededAnswers, t.SeenPending, t.SeenRunning, result.Counters.ForeignExports);
    }
}
