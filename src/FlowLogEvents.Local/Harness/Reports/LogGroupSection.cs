using System.Text.Json.Serialization;

namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>One entry of report.json's <c>verification.logGroups</c>: a log group's verdict and where its checkpoint ended.</summary>
public sealed record LogGroupSection(
    string LogGroup,
    bool SilentHalfway,
    int Expected,
    int Exported,
    int Missing,
    int Duplicated,
    int Unexpected,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ExportedThrough,
    long ExportsCompleted,
    IReadOnlyList<string> MissingSamples,
    IReadOnlyList<string> DuplicatedSamples,
    IReadOnlyList<string> UnexpectedSamples)
{
    /// <summary>The verdict of a log group with its checkpoint's progress (null for a group outside the traffic, such as <see cref="Verification.OtherGroup"/>).</summary>
    public static LogGroupSection From(LogGroupVerdict verdict, GroupProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new LogGroupSection(
            verdict.LogGroup,
            progress?.Silent ?? false,
            verdict.Expected,
            verdict.Exported,
            verdict.Missing,
            verdict.Duplicated,
            verdict.Unexpected,
            progress?.ExportedThrough is { } through ? DateTimeOffset.FromUnixTimeMilliseconds(through) : null,
            progress?.ExportsCompleted ?? 0,
            verdict.MissingSamples,
            verdict.DuplicatedSamples,
            verdict.UnexpectedSamples);
    }
}
