using System.Globalization;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Observability;
using Spectre.Console;

namespace FlowLogEvents.Local.Commands;

/// <summary>A run with its progress on the console: a live Spectre view on a terminal, a line every 5 s when the output is redirected.</summary>
internal static class RunLiveView
{
    public static async Task<ScenarioResult> RunAsync(Uri moto, ScenarioOptions options, CancellationToken ct)
    {
        ScenarioProgress? latest = null;
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var lastPrinted = DateTime.MinValue;
            return await ScenarioRunner.RunAsync(
                moto,
                options,
                p =>
                {
                    if (DateTime.UtcNow - lastPrinted >= TimeSpan.FromSeconds(5))
                    {
                        lastPrinted = DateTime.UtcNow;
                        Console.Out.WriteLine(ProgressLine(p));
                    }
                },
                ct).ConfigureAwait(false);
        }

        ScenarioResult? result = null;
        await AnsiConsole.Live(new Text("provisioning the local cloud...")).AutoClear(false).StartAsync(async live =>
        {
            var run = ScenarioRunner.RunAsync(moto, options, p => Volatile.Write(ref latest, p), ct);
            while (!run.IsCompleted)
            {
                if (Volatile.Read(ref latest) is { } p)
                {
                    live.UpdateTarget(View(p));
                }

                await Task.WhenAny(run, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
            }

            if (Volatile.Read(ref latest) is { } last)
            {
                live.UpdateTarget(View(last));
            }

            result = await run.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result!;
    }

    private static string ProgressLine(ScenarioProgress p)
    {
        var c = p.Counters;
        var done = p.Groups.Count(g => g.Done);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{p.RealElapsed.TotalSeconds,6:0.0}s] {p.Phase}: sim {p.SimulatedNow:HH:mm:ss}, batches {p.BatchesWritten}/{p.BatchesTotal}, events {c.EventsIngested}, invocations {c.SubscriptionInvocations}, signals sent {c.Event(LogEvents.SignalSent)} suppressed {c.Event(LogEvents.SignalSuppressed)}, tasks {p.Tasks?.Completed ?? 0} done {p.Tasks?.Active ?? 0} active {p.Tasks?.LimitExceededAnswers ?? 0} limit-exceeded, queue {p.QueueDepth} dlq {p.DeadLetterDepth}, log groups done {done}/{p.Groups.Count}");
    }

    private static Rows View(ScenarioProgress p)
    {
        var c = p.Counters;
        var header = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(p.Phase)}[/]  simulated [cyan]{p.SimulatedNow:yyyy-MM-dd HH:mm:ss}Z[/]  real [cyan]{p.RealElapsed.TotalSeconds:0.0} s[/]  traffic batches [cyan]{p.BatchesWritten}/{p.BatchesTotal}[/]"));

        var pipeline = new Table().Border(TableBorder.Rounded).Title("pipeline");
        pipeline.AddColumn("stage").AddColumn(new TableColumn("count").RightAligned()).AddColumn("detail");
        pipeline.AddRow("events ingested", N(c.EventsIngested), $"{N(c.PutLogEventsCalls)} PutLogEvents calls");
        pipeline.AddRow("subscription invocations", N(c.SubscriptionInvocations), $"{N(c.SubscriptionErrors)} errors, {N(c.SubscriptionsDropped)} dropped");
        pipeline.AddRow("signals sent", N(c.Event(LogEvents.SignalSent)), $"{N(c.Event(LogEvents.SignalSuppressed))} suppressed by warm instances, {N(c.DataSignalsReceived)} reached the export function");
        pipeline.AddRow("export invocations", N(c.ExportInvocations), $"{N(c.ContinuationsReceived)} continuations, {N(c.RecordsReportedFailed)} records failed");
        pipeline.AddRow("export tasks running", N(p.Tasks?.Active ?? 0), $"{N(p.Tasks?.Created ?? 0)} created, seen PENDING {N(p.Tasks?.SeenPending ?? 0)} / RUNNING {N(p.Tasks?.SeenRunning ?? 0)}");
        pipeline.AddRow("export tasks completed", N(p.Tasks?.Completed ?? 0), $"{N(p.Tasks?.LimitExceededAnswers ?? 0)} LimitExceededException, {N(c.SlotBusyDeferrals)} deferred");
        pipeline.AddRow("queue depth", N(p.QueueDepth), $"DLQ {N(p.DeadLetterDepth)}");

        var groups = new Table().Border(TableBorder.Rounded).Title("checkpoints");
        groups.AddColumn("log group").AddColumn(new TableColumn("records").RightAligned()).AddColumn("exported through").AddColumn(new TableColumn("lag").RightAligned()).AddColumn(new TableColumn("exports").RightAligned()).AddColumn("state");
        foreach (var g in p.Groups)
        {
            var lag = p.LagOf(g);
            groups.AddRow(
                Markup.Escape(g.LogGroup) + (g.Silent ? " [grey](silent)[/]" : string.Empty),
                N(g.Records),
                g.ExportedThrough is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                lag is { } l ? $"{(int)l.TotalMinutes}m{l.Seconds:00}s" : "-",
                N(g.ExportsCompleted),
                g.Done ? "[green]done[/]" : g.TaskInFlight ? "[yellow]exporting[/]" : "waiting");
        }

        return new Rows(header, pipeline, groups);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
