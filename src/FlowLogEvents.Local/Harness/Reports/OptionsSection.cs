using System.Text.Json.Serialization;

namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>options</c>: what the run simulated, with the template defaults it resolved.</summary>
public sealed record OptionsSection(
    int LogGroups,
    int EnisPerLogGroup,
    double SimulatedMinutes,
    int RecordsPerEniPerMinute,
    int AggregationMinutes,
    double DeliveryDelayMinutes,
    double LateFraction,
    double LatenessMinutes,
    int SilentLogGroups,
    double Speed,
    int Seed,
    double SettleDelaySeconds,
    double DebounceSeconds,
    [property: JsonConverter(typeof(TemplateDefaultConverter))] double? ClaimLeaseSeconds,
    [property: JsonConverter(typeof(TemplateDefaultConverter))] double? MinExportWindowSeconds,
    string LateEvents,
    int SignalInstances,
    int ForeignExports,
    double ForeignExportMinutes,
    string ExportTaskTiming,
    double AvailabilityLagMinutes,
    double QueryLagSeconds)
{
    public static OptionsSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        return new OptionsSection(
            o.LogGroups,
            o.EnisPerLogGroup,
            o.Duration.TotalMinutes,
            o.RecordsPerEniPerMinute,
            o.AggregationMinutes,
            o.DeliveryDelay.TotalMinutes,
            o.LateFraction,
            o.Lateness.TotalMinutes,
            o.SilentLogGroups,
            o.Speed,
            o.Seed,
            result.SettleDelay.TotalSeconds,
            result.Debounce.TotalSeconds,
            o.ClaimLease?.TotalSeconds,
            o.MinExportWindow?.TotalSeconds,
            o.LateEvents ?? TemplateDefaultConverter.Text,
            o.SignalInstances,
            o.ForeignExports,
            o.ForeignExportDuration.TotalMinutes,
            o.ExportTiming.Describe(),
            o.AvailabilityLag.TotalMinutes,
            o.QueryLag.TotalSeconds);
    }
}
