namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>verification</c>: S3 against every generated record, in total and per log group.</summary>
public sealed record VerificationSection(
    int Expected,
    int Exported,
    int Missing,
    int Duplicated,
    int Unexpected,
    int ObjectsRead,
    int GeneratedRecords,
    int LateRecords,
    IReadOnlyList<LogGroupSection> LogGroups)
{
    public static VerificationSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var v = result.Verification;
        return new VerificationSection(
            v.Expected,
            v.Exported,
            v.Missing,
            v.Duplicated,
            v.Unexpected,
            v.ObjectsRead,
            result.GeneratedRecords,
            result.LateRecords,
            [.. v.LogGroups.Select(g => LogGroupSection.From(g, result.Groups.FirstOrDefault(p => p.LogGroup == g.LogGroup)))]);
    }
}
