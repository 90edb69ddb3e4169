using System.Globalization;
using System.Text;
using System.Text.Json;
using FlowLogEvents.Local.Harness.Reports;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Local.Harness;

/// <summary>The report of a run: JSON for machines, Markdown for people.</summary>
public static class RunReport
{
    /// <summary>report.json: <see cref="RunReportDocument"/> through the source-generated <see cref="RunReportJsonContext"/>, ending with a newline.</summary>
    public static string Json(ScenarioResult result) =>
        JsonSerializer.Serialize(RunReportDocument.From(result), RunReportJsonContext.Default.RunReportDocument) + "\n";

    public static string Markdown(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var v = result.Verification;
        var c = result.Counters;
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"## FlowLogEvents local run {result.RunId}: {(result.Ok ? "PASS" : "FAIL")}");
        md.AppendLine();
        if (result.Failure is not null)
        {
            md.AppendLine(inv, $"**{result.Failure}**");
            md.AppendLine();
        }

        md.AppendLine(inv, $"{result.GeneratedRecords} flow records ({result.LateRecords} late) in {result.Options.LogGroups} log groups x {result.Options.EnisPerLogGroup} ENIs, {result.Options.Duration.TotalMinutes:0} simulated minutes at speed {result.Options.Speed:0.##} ({result.Options.AggregationMinutes}-minute aggregation, settle delay {result.SettleDelay.TotalSeconds:0} s, debounce {result.Debounce.TotalSeconds:0} s), {result.RealDuration.TotalSeconds:0.0} s real.");
        md.AppendLine();
        md.AppendLine("| Log group | Expected | Exported | Missing | Duplicated | Unexpected |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var g in v.LogGroups)
        {
            var silent = result.Groups.FirstOrDefault(p => p.LogGroup == g.LogGroup)?.Silent == true ? " (silent halfway)" : string.Empty;
            md.AppendLine(inv, $"| `{g.LogGroup}`{silent} | {g.Expected} | {g.Exported} | {g.Missing} | {g.Duplicated} | {g.Unexpected} |");
        }

        md.AppendLine(inv, $"| **total** | **{v.Expected}** | **{v.Exported}** | **{v.Missing}** | **{v.Duplicated}** | **{v.Unexpected}** |");
        md.AppendLine();
        md.AppendLine(inv, $"- Traffic: {c.EventsIngested} events in {c.PutLogEventsCalls} PutLogEvents calls, at most {c.MaxPutLag.TotalSeconds:0} simulated seconds behind schedule; {c.IngestedAfterSettle} records ingested later than the settle delay.");
        md.AppendLine(inv, $"- Subscription: {c.SubscriptionInvocations} signal invocations ({c.SubscriptionErrors} errors, {c.SubscriptionsDropped} dropped); signals sent {c.Event(LogEvents.SignalSent)}, suppressed by warm instances {c.Event(LogEvents.SignalSuppressed)}, reached the export function {c.DataSignalsReceived} (the rest deduplicated by SQS FIFO).");
        md.AppendLine(inv, $"- Export function: {c.ExportInvocations} invocations, {c.RecordsReceived} records ({c.ContinuationsReceived} continuations), {c.RecordsReportedFailed} reported failed, {c.ExportInvocationErrors} errors; handler {c.MeanExportHandlerTime.TotalMilliseconds:0} ms mean, {c.MaxExportHandlerTime.TotalMilliseconds:0} ms max (real).");
        md.AppendLine(inv, $"- Export tasks (emulated by the CloudWatch Logs front, {result.Options.ExportTiming.Describe()}): {result.Tasks.Created} created, {result.Tasks.Completed} completed, {result.Tasks.Failed} failed; seen PENDING {result.Tasks.SeenPending}, RUNNING {result.Tasks.SeenRunning}; LimitExceededException {result.Tasks.LimitExceededAnswers} (deferred by the function {c.SlotBusyDeferrals}; {c.ForeignExports} tasks of another tool held the slot).");
        if (c.Event(LogEvents.WindowVerified) + v.Repaired > 0)
        {
            md.AppendLine(inv, $"- Verification: {c.Event(LogEvents.WindowVerified)} checks of exported windows against CloudWatch Logs ({c.FinalChecks} of them a window's last check; every check at most {c.MaxCheckLateMs / 1000} simulated s after it was due); {v.Repaired} records in S3 written by repairs ({c.Event(LogEvents.WindowRepaired)} stream repairs logged); {c.Event(LogEvents.WindowSurplus)} surplus and {c.Event(LogEvents.WindowShort)} unrepaired shortfalls reported; {c.Event(LogEvents.WindowUnverifiable)} checks unverifiable{Reads(result)}.");
        }

        var signals = c.Signals;
        md.AppendLine(inv, $"- Economy: {signals.Windows} (log group, debounce window) pairs with data: {signals.InvocationsPerWindow:0.0} signal invocations and {signals.SendsPerWindow:0.00} SendMessage calls per pair on average (at most {signals.MaxSendsPerWindow} for one pair, at most {signals.MaxSendsPerWindowPerInstance} per warm instance); {TasksPerHour(result):0.0} export tasks per simulated hour; freshness from ingestion to the S3 object p50 {result.Tasks.Freshness(50).TotalSeconds:0} s, p99 {result.Tasks.Freshness(99).TotalSeconds:0} s, max {result.Tasks.Freshness(100).TotalSeconds:0} s (simulated, {result.Tasks.FreshnessMs.Count} records).");
        md.AppendLine(inv, $"- Queue at the end: {result.QueueDepthAtEnd} messages, DLQ {result.DeadLetterDepthAtEnd} ({result.DeadLettersReplayed} replayed from it after the exports were done, then exported). Queue timing: {result.QueueTiming.DelaySeconds} s delay, {result.QueueTiming.VisibilityTimeoutSeconds} s visibility (template values / speed), maxReceiveCount {result.QueueTiming.MaxReceiveCount}.");
        md.AppendLine(inv, $"- Recursive loop detection: {c.RecursiveInvocationsDropped} export invocations stopped (RecursiveInvocationsDropped; more than {Lambda.TraceHeader.MaxRecursiveInvocations} invocations in one trace lineage), {c.LoopMessagesMoved} records moved to the DLQ.");
        if (result.Options.Faults.Any)
        {
            md.AppendLine(inv, $"- Faults: {result.Options.Faults.Describe()}; {result.Faults.AwsErrors} AWS errors and {result.Faults.LostResponses} lost responses injected, {result.Faults.SdkRetries} SDK retries, {result.Faults.Crashes} process deaths; {c.ExportRedeliveries} SQS records redelivered, {c.SubscriptionRetries} async-invoke retries, {c.SubscriptionDuplicates} duplicate deliveries, {c.DeletesForgotten} deletes forgotten, {c.BackfillInvocations} concurrent export runs; missing late beyond settle {v.MissingLateBeyondSettle}, duplicated by late re-exports {v.DuplicatedByLateReexport}, duplicated by a start-over {v.DuplicatedByStartOver}.");
        }

        md.AppendLine(inv, $"- Functions: {result.Hosting.Describe()}.");
        md.AppendLine(inv, $"- Report: `{result.ReportPath}`; function log: `{result.FunctionLogPath}`.");
        foreach (var problem in result.Problems.Take(10))
        {
            md.AppendLine(inv, $"- Problem: {problem}");
        }

        foreach (var g in v.LogGroups.Where(g => !g.Ok))
        {
            foreach (var m in g.MissingSamples)
            {
                md.AppendLine(inv, $"- Missing in `{g.LogGroup}`: `{m}`");
            }

            foreach (var m in g.DuplicatedSamples)
            {
                md.AppendLine(inv, $"- Duplicated in `{g.LogGroup}`: `{m}`");
            }

            foreach (var m in g.UnexpectedSamples)
            {
                md.AppendLine(inv, $"- Unexpected in `{g.LogGroup}`: `{m}`");
            }
        }

        return md.ToString();
    }

    /// <summary>Export tasks the functions created per simulated hour, from the start of traffic to the end of the run.</summary>
    private static string Reads(ScenarioResult result) => result.Reads is not { } r ? string.Empty : string.Create(
        CultureInfo.InvariantCulture,
        $"; CloudWatch Logs answered {r.QueriesStarted} Logs Insights queries ({r.GetQueryResultsCalls} GetQueryResults, {r.QueryRecordsScanned} records and {r.QueryBytesScanned} bytes scanned, {r.QueriesLimitExceeded} refused over 30 concurrent) and {r.FilterLogEventsRequests} FilterLogEvents pages ({r.FilterLogEventsEventsReturned} events, {r.FilterLogEventsBytesReturned} bytes)");

    internal static double TasksPerHour(ScenarioResult result)
    {
        var hours = (result.SimulatedEnd - result.SimulatedStart).TotalHours;
        return hours <= 0 ? 0 : result.Tasks.Created / hours;
    }
}
