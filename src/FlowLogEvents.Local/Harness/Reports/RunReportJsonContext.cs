using System.Text.Json.Serialization;

namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>
/// The source-generated writer of report.json: indented, camelCase names, nulls written (<c>"failure": null</c>), and the
/// default encoder (non-ASCII and HTML-sensitive characters escaped as <c>\uXXXX</c>).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunReportDocument))]
public sealed partial class RunReportJsonContext : JsonSerializerContext;
