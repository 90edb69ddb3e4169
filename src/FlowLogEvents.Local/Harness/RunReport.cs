using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Local.Harness;

/// <summary>The report of a run: JSON for machines, Markdown for people.</summary>
public static class RunReport
{
    public static string Json(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var o = result.Options;
            var v = result.Verification;
            var c = result.Counters;
            json.WriteStartObject();
            json.WriteString("verdict", result.Ok ? "PASS" : "FAIL");
            json.WriteString("failure", result.Failure);
            json.WriteString("runId", result.RunId);
            json.WriteStartObject("options");
            json.WriteNumber("logGroups", o.LogGroups);
            json.WriteNumber("enisPerLogGroup", o.EnisPerLogGroup);
            json.WriteNumber("simulatedMinutes", o.Duration.TotalMinutes);
            json.WriteNumber("recordsPerEniPerMinute", o.RecordsPerEniPerMinute);
            json.WriteNumber("aggregationMinutes", o.AggregationMinutes);
            json.WriteNumber("deliveryDelayMinutes", o.DeliveryDelay.TotalMinutes);
            json.WriteNumber("lateFraction", o.LateFraction);
            json.WriteNumber("latenessMinutes", o.Lateness.TotalMinutes);
            json.WriteNumber("silentLogGroups", o.SilentLogGroups);
            json.WriteNumber("speed", o.Speed);
            json.WriteNumber("seed", o.Seed);
            json.WriteNumber("settleDelaySeconds", result.SettleDelay.TotalSeconds);
            json.WriteNumber("debounceSeconds", result.Debounce.TotalSeconds);
            WriteOverride(json, "claimLeaseSeconds", o.ClaimLease?.TotalSeconds);
            WriteOverride(json, "minExportWindowSeconds", o.MinExportWindow?.TotalSeconds);
            json.WriteString("lateEvents", o.LateEvents ?? "template default");
            json.WriteNumber("signalInstances", o.SignalInstances);
            json.WriteNumber("foreignExports", o.ForeignExports);
            json.WriteNumber("foreignExportMinutes", o.ForeignExportDuration.TotalMinutes);
            json.WriteString("exportTaskTiming", o.ExportTiming.Describe());
            json.WriteEndObject();
            json.WriteStartObject("queue");
            json.WriteNumber("delaySeconds", result.QueueTiming.DelaySeconds);
            json.WriteNumber("visibilityTimeoutSeconds", result.QueueTiming.VisibilityTimeoutSeconds);
            json.WriteNumber("maxReceiveCount", result.QueueTiming.MaxReceiveCount);
            json.WriteNumber("batchSize", result.QueueTiming.BatchSize);
            json.WriteNumber("depthAtEnd", result.QueueDepthAtEnd);
            json.WriteNumber("deadLetterDepthAtEnd", result.DeadLetterDepthAtEnd);
            json.WriteNumber("deadLettersReplayed", result.DeadLettersReplayed);
            json.WriteStartObject("recursiveLoopDetection");
            json.WriteNumber("recursiveInvocationsDropped", result.Counters.RecursiveInvocationsDropped);
            json.WriteNumber("messagesMovedToDeadLetterQueue", result.Counters.LoopMessagesMoved);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("time");
            json.WriteString("simulatedTrafficStart", result.SimulatedStart);
            json.WriteString("simulatedEnd", result.SimulatedEnd);
            json.WriteNumber("realSeconds", Math.Round(result.RealDuration.TotalSeconds, 1));
            json.WriteEndObject();
            json.WriteStartObject("verification");
            json.WriteNumber("expected", v.Expected);
            json.WriteNumber("exported", v.Exported);
            json.WriteNumber("missing", v.Missing);
            json.WriteNumber("duplicated", v.Duplicated);
            json.WriteNumber("unexpected", v.Unexpected);
            json.WriteNumber("objectsRead", v.ObjectsRead);
            json.WriteNumber("generatedRecords", result.GeneratedRecords);
            json.WriteNumber("lateRecords", result.LateRecords);
            json.WriteStartArray("logGroups");
            foreach (var g in v.LogGroups)
            {
                var progress = result.Groups.FirstOrDefault(p => p.LogGroup == g.LogGroup);
                json.WriteStartObject();
                json.WriteString("logGroup", g.LogGroup);
                json.WriteBoolean("silentHalfway", progress?.Silent ?? false);
                json.WriteNumber("expected", g.Expected);
                json.WriteNumber("exported", g.Exported);
                json.WriteNumber("missing", g.Missing);
                json.WriteNumber("duplicated", g.Duplicated);
                json.WriteNumber("unexpected", g.Unexpected);
                if (progress?.ExportedThrough is { } through)
                {
                    json.WriteString("exportedThrough", DateTimeOffset.FromUnixTimeMilliseconds(through));
                }

                json.WriteNumber("exportsCompleted", progress?.ExportsCompleted ?? 0);
                WriteStrings(json, "missingSamples", g.MissingSamples);
                WriteStrings(json, "duplicatedSamples", g.DuplicatedSamples);
                WriteStrings(json, "unexpectedSamples", g.UnexpectedSamples);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("pipeline");
            json.WriteNumber("eventsIngested", c.EventsIngested);
            json.WriteNumber("maxPutLagSimulatedSeconds", Math.Round(c.MaxPutLag.TotalSeconds, 1));
            json.WriteNumber("recordsIngestedAfterSettleDelay", c.IngestedAfterSettle);
            json.WriteNumber("exportHandlerMeanRealMs", Math.Round(c.MeanExportHandlerTime.TotalMilliseconds, 1));
            json.WriteNumber("exportHandlerMaxRealMs", Math.Round(c.MaxExportHandlerTime.TotalMilliseconds, 1));
            json.WriteNumber("putLogEventsCalls", c.PutLogEventsCalls);
            json.WriteNumber("subscriptionInvocations", c.SubscriptionInvocations);
            json.WriteNumber("subscriptionErrors", c.SubscriptionErrors);
            json.WriteNumber("subscriptionsDropped", c.SubscriptionsDropped);
            json.WriteNumber("signalsSent", c.Event("signal.sent"));
            json.WriteNumber("signalsSuppressedWarm", c.Event("signal.suppressed"));
            json.WriteNumber("signalsReceivedByExport", c.DataSignalsReceived);
            json.WriteNumber("continuationsReceived", c.ContinuationsReceived);
            json.WriteNumber("exportInvocations", c.ExportInvocations);
            json.WriteNumber("exportInvocationErrors", c.ExportInvocationErrors);
            json.WriteNumber("recordsReportedFailed", c.RecordsReportedFailed);
            json.WriteNumber("slotBusyDeferrals", c.SlotBusyDeferrals);
            json.WriteNumber("tasksCreatedByFunction", c.Event("task.created"));
            json.WriteNumber("tasksCompletedByFunction", c.Event("task.completed"));
            json.WriteNumber("checkpointConflicts", c.Event("checkpoint.conflict"));
            json.WriteNumber("lateSignals", c.Event("events.late"));
            json.WriteEndObject();
            json.WriteStartObject("exportTasks");
            json.WriteNumber("created", result.Tasks.Created);
            json.WriteNumber("completed", result.Tasks.Completed);
            json.WriteNumber("failed", result.Tasks.Failed);
            json.WriteNumber("limitExceededAnswers", result.Tasks.LimitExceededAnswers);
            json.WriteNumber("seenPending", result.Tasks.SeenPending);
            json.WriteNumber("seenRunning", result.Tasks.SeenRunning);
            json.WriteNumber("foreignTasksHoldingTheSlot", c.ForeignExports);
            json.WriteEndObject();
            var signals = c.Signals;
            json.WriteStartObject("economy");
            json.WriteNumber("logGroupWindows", signals.Windows);
            json.WriteNumber("invocationsPerLogGroupWindow", Math.Round(signals.InvocationsPerWindow, 2));
            json.WriteNumber("sendMessagePerLogGroupWindow", Math.Round(signals.SendsPerWindow, 2));
            json.WriteNumber("maxSendMessagePerLogGroupWindow", signals.MaxSendsPerWindow);
            json.WriteNumber("maxSendMessagePerLogGroupWindowPerInstance", signals.MaxSendsPerWindowPerInstance);
            json.WriteNumber("exportTasksPerSimulatedHour", Math.Round(TasksPerHour(result), 1));
            json.WriteNumber("exportedRecordsMeasured", result.Tasks.FreshnessMs.Count);
            json.WriteNumber("freshnessP50Seconds", Math.Round(result.Tasks.Freshness(50).TotalSeconds, 1));
            json.WriteNumber("freshnessP99Seconds", Math.Round(result.Tasks.Freshness(99).TotalSeconds, 1));
            json.WriteNumber("freshnessMaxSeconds", Math.Round(result.Tasks.Freshness(100).TotalSeconds, 1));
            json.WriteEndObject();
            json.WriteStartObject("resources");
            json.WriteString("moto", result.MotoEndpoint.ToString());
            json.WriteString("bucket", result.Bucket);
            json.WriteString("exportPrefix", result.ExportPrefix);
            json.WriteString("statePrefix", result.StatePrefix);
            json.WriteString("signalQueueUrl", result.SignalQueueUrl.ToString());
            json.WriteString("deadLetterQueueUrl", result.DeadLetterQueueUrl.ToString());
            json.WriteString("functionLog", result.FunctionLogPath);
            json.WriteEndObject();
            json.WriteString("hosting", result.Hosting.Describe());
            json.WriteNumber("iamDenied", result.Hosting.IamDenied);
            json.WriteStartObject("faults");
            json.WriteString("injected", o.Faults.Describe());
            json.WriteNumber("subscriptionDuplicates", c.SubscriptionDuplicates);
            json.WriteNumber("subscriptionRetries", c.SubscriptionRetries);
            json.WriteNumber("exportRedeliveries", c.ExportRedeliveries);
            json.WriteNumber("exportDeaths", c.ExportDeaths);
            json.WriteNumber("deletesForgotten", c.DeletesForgotten);
            json.WriteNumber("backfillInvocations", c.BackfillInvocations);
            json.WriteNumber("backfillErrors", c.BackfillErrors);
            json.WriteNumber("missingLateBeyondSettle", v.MissingLateBeyondSettle);
            json.WriteNumber("duplicatedByLateReexport", v.DuplicatedByLateReexport);
            json.WriteNumber("duplicatedByStartOver", v.DuplicatedByStartOver);
            json.WriteStartObject("counters");
            foreach (var (name, value) in result.Faults.All)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            WriteStrings(json, "problems", result.Problems);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

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
        md.AppendLine(inv, $"- Subscription: {c.SubscriptionInvocations} signal invocations ({c.SubscriptionErrors} errors, {c.SubscriptionsDropped} dropped); signals sent {c.Event("signal.sent")}, suppressed by warm instances {c.Event("signal.suppressed")}, reached the export function {c.DataSignalsReceived} (the rest deduplicated by SQS FIFO).");
        md.AppendLine(inv, $"- Export function: {c.ExportInvocations} invocations, {c.RecordsReceived} records ({c.ContinuationsReceived} continuations), {c.RecordsReportedFailed} reported failed, {c.ExportInvocationErrors} errors; handler {c.MeanExportHandlerTime.TotalMilliseconds:0} ms mean, {c.MaxExportHandlerTime.TotalMilliseconds:0} ms max (real).");
        md.AppendLine(inv, $"- Export tasks (emulated by the CloudWatch Logs front, {result.Options.ExportTiming.Describe()}): {result.Tasks.Created} created, {result.Tasks.Completed} completed, {result.Tasks.Failed} failed; seen PENDING {result.Tasks.SeenPending}, RUNNING {result.Tasks.SeenRunning}; LimitExceededException {result.Tasks.LimitExceededAnswers} (deferred by the function {c.SlotBusyDeferrals}; {c.ForeignExports} tasks of another tool held the slot).");
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
    private static double TasksPerHour(ScenarioResult result)
    {
        var hours = (result.SimulatedEnd - result.SimulatedStart).TotalHours;
        return hours <= 0 ? 0 : result.Tasks.Created / hours;
    }

    /// <summary>An option that overrides a template default: its value, or the text "template default".</summary>
    private static void WriteOverride(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteString(name, "template default");
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
