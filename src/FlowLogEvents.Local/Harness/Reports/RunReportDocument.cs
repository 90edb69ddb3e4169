namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>
/// report.json of one run, as <see cref="RunReportJsonContext"/> writes it: the properties in the order of the file,
/// named as in the file (camelCase). Tests pin the exact text (RunReportTests).
/// </summary>
public sealed record RunReportDocument(
    string Verdict,
    string? Failure,
    string RunId,
    OptionsSection Options,
    QueueSection Queue,
    TimeSection Time,
    VerificationSection Verification,
    PipelineSection Pipeline,
    ExportTasksSection ExportTasks,
    EconomySection Economy,
    ResourcesSection Resources,
    string Hosting,
    int IamDenied,
    FaultsSection Faults,
    IReadOnlyList<string> Problems)
{
    public static RunReportDocument From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RunReportDocument(
            result.Ok ? "PASS" : "FAIL",
            result.Failure,
            result.RunId,
            OptionsSection.From(result),
            QueueSection.From(result),
            TimeSection.From(result),
            VerificationSection.From(result),
            PipelineSection.From(result.Counters),
            ExportTasksSection.From(result),
            EconomySection.From(result),
            ResourcesSection.From(result),
            result.Hosting.Describe(),
            result.Hosting.IamDenied,
            FaultsSection.From(result),
            result.Problems);
    }
}
