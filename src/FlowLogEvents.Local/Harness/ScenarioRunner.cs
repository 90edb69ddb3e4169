using System.Diagnostics;
using System.Globalization;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Runs one scenario end to end against a moto_server, with no console UI: provisions what
/// serverless.template describes, writes generated VPC flow log traffic with PutLogEvents (through
/// the CloudWatch Logs front), delivers it to the real signal function as a subscription would,
/// runs the real export function from the FIFO queue as the event source mapping would, waits until
/// every log group's checkpoint has reached the end of its traffic, and verifies S3 against every
/// generated record. Everything shares one <see cref="SimulatedClock"/>.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>
    /// The phases in order: set up (<see cref="ScenarioSetup"/>), provision, start (<see cref="RunningScenario"/>),
    /// drive until drained (<see cref="ScenarioDrain"/>), verify, report.
    /// </summary>
    public static async Task<ScenarioResult> RunAsync(Uri moto, ScenarioOptions options, Action<ScenarioProgress>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(moto);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var realClock = Stopwatch.StartNew();
        var setup = ScenarioSetup.Create(options);
        await using var cloud = await ProvisionAsync(moto, setup, ct).ConfigureAwait(false);
        await using var run = await RunningScenario.StartAsync(setup, cloud, ct).ConfigureAwait(false);
        var drained = await ScenarioDrain.DriveUntilDrainedAsync(run, realClock, onProgress, ct).ConfigureAwait(false);
        var verified = await VerifyAsync(run, drained, realClock, onProgress).ConfigureAwait(false);
        return await ReportAsync(moto, run, drained, verified, realClock).ConfigureAwait(false);
    }

    /// <summary>Starts the local cloud on <paramref name="moto"/>, arms the export-task front's faults, and provisions the template.</summary>
    private static async Task<LocalCloudResources> ProvisionAsync(Uri moto, ScenarioSetup setup, CancellationToken ct)
    {
        var options = setup.Options;
        var cloud = await LocalCloudResources.StartAsync(moto, setup.Clock, options.ExportTiming with { Seed = options.Seed }, setup.RunId, ct).ConfigureAwait(false);
        try
        {
            cloud.Front.FailTasksLongerThan(options.Faults.FailTasksLongerThan, options.Faults.TooLongTaskFailsAfter);
            cloud.Front.SeedTaskHistory(options.TaskHistory);
            cloud.Front.HideNewTasksFor(options.DescribeLag);
            cloud.Front.ExportAvailabilityLag = AvailabilityLag.ForExport(options.AvailabilityLag);
            cloud.Front.ReadLag = AvailabilityLag.ForReads(options.QueryLag);
            if (setup.Poisoned is { } poison)
            {
                cloud.Front.PoisonStatusOf(poison.LogGroup, poison.Until);
            }

            await cloud.ProvisionAsync(setup.Template, setup.QueueTiming, setup.Parameters, setup.Plan.Groups.Select(g => (g.Name, g.Streams)), ct).ConfigureAwait(false);
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the run's background work and checks what it left: the start-over happened, no recursive loop was stopped,
    /// the harness kept up with the simulated clock, and S3 holds every generated record exactly once.
    /// </summary>
    private static async Task<VerifiedScenario> VerifyAsync(RunningScenario run, DrainOutcome drained, Stopwatch realClock, Action<ScenarioProgress>? onProgress)
    {
        var (setup, cloud, counters) = (run.Setup, run.Cloud, run.Counters);
        var (options, plan, template, settle) = (setup.Options, setup.Plan, setup.Template, setup.Settle);
        var failure = drained.Failure;
        await run.StopAsync().ConfigureAwait(false);
        var startOver = run.StartingOver.IsCompletedSuccessfully ? run.StartingOver.Result : null;
        if (failure is null && options.Faults.StartOverAt is not null && startOver is null)
        {
            failure = "the start-over did not happen before the run ended";
        }

        // Tasks of the log group started over, created before its marker was deleted: no checkpoint of the new start can
        // exist before that (it would find the marker), and the old one is gone minutes earlier (a claim needs it).
        var tasksBeforeStartOver = startOver is null
            ? null
            : cloud.Front.Tasks.Where(t => t.Spec.LogGroupName == startOver.LogGroup && t.CreationTime < startOver.MarkerDeletedAt.ToUnixTimeMilliseconds()).Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        var simulatedEnd = setup.Clock.GetUtcNow();
        onProgress?.Invoke(new ScenarioProgress("verifying", simulatedEnd, realClock.Elapsed, run.Written, plan.Batches.Count, counters, cloud.Front.Stats, drained.QueueDepth, drained.DeadLetterDepth, drained.Progress));

        if (counters.RecursiveInvocationsDropped > 0)
        {
            var stopped = $"Lambda stopped {counters.RecursiveInvocationsDropped} recursive loop invocation(s) of ExportFunction (RecursiveInvocationsDropped; RecursiveLoop {template.RecursiveLoop("ExportFunction")}): {counters.LoopMessagesMoved} record(s) moved to the DLQ";
            failure = failure is null ? stopped : $"{stopped}; {failure}";
        }

        var lateByDesign = options.Lateness >= settle || setup.Interval + (options.DeliveryDelay * 1.5) >= settle;
        if (failure is null && counters.IngestedAfterSettle > 0 && !lateByDesign)
        {
            failure = string.Create(
                CultureInfo.InvariantCulture,
                $"the harness fell behind the simulated clock: {counters.IngestedAfterSettle} records were ingested more than the settle delay after their timestamp (PutLogEvents up to {counters.MaxPutLag.TotalMinutes:0.0} simulated minutes late), so an export may already have covered them; rerun with a lower --speed");
        }

        var expected = plan.Groups.ToDictionary(g => g.Name, g => (IReadOnlyCollection<string>)plan.RecordsOf(g.Name).Select(r => r.Message).ToList(), StringComparer.Ordinal);
        var verification = await Verifier.VerifyAsync(cloud.S3, cloud.Bucket, cloud.ExportSettings.Policy.ExportPrefix, expected,
            setup.Reexport ? null : run.LateBeyondSettle.Keys.ToHashSet(StringComparer.Ordinal), // under reexport a missing late record is a failure
            tasksBeforeStartOver,
            CancellationToken.None).ConfigureAwait(false);
        var progress = await run.GroupProgressAsync(CancellationToken.None).ConfigureAwait(false);
        return new VerifiedScenario(failure, verification, progress, simulatedEnd);
    }

    /// <summary>The run's result, written as report.json, summary.md and tasks.jsonl (every export task the front saw) into its folder.</summary>
    private static async Task<ScenarioResult> ReportAsync(Uri moto, RunningScenario run, DrainOutcome drained, VerifiedScenario verified, Stopwatch realClock)
    {
        var (setup, cloud) = (run.Setup, run.Cloud);
        var output = setup.Output;
        var result = new ScenarioResult
        {
            RunId = setup.RunId,
            Options = setup.Options,
            SettleDelay = setup.Settle,
            Debounce = setup.Debounce,
            QueueTiming = cloud.QueueTiming,
            OutputDirectory = output,
            ReportPath = Path.Combine(output, "report.json"),
            FunctionLogPath = run.FunctionLogPath,
            MotoEndpoint = moto,
            Bucket = cloud.Bucket,
            ExportPrefix = cloud.ExportSettings.Policy.ExportPrefix,
            StatePrefix = cloud.ExportSettings.StatePrefix,
            SignalQueueUrl = cloud.SignalQueueUrl,
            DeadLetterQueueUrl = cloud.DeadLetterQueueUrl,
            SimulatedStart = setup.TrafficStart,
            SimulatedEnd = verified.SimulatedEnd,
            RealDuration = realClock.Elapsed,
            GeneratedRecords = setup.Plan.RecordCount,
            LateRecords = setup.Plan.LateRecordCount,
            Groups = verified.Groups,
            Counters = run.Counters,
            Tasks = ExportTaskTotals.From(cloud.Front.Stats),
            Reads = cloud.Front.ReadStats,
            QueueDepthAtEnd = await cloud.DepthAsync(cloud.SignalQueueUrl, CancellationToken.None).ConfigureAwait(false),
            DeadLetterDepthAtEnd = await cloud.DepthAsync(cloud.DeadLetterQueueUrl, CancellationToken.None).ConfigureAwait(false),
            DeadLettersReplayed = drained.DeadLettersReplayed,
            Failure = verified.Failure,
            Problems = run.Problems,
            Verification = verified.Verification,
            Faults = run.FaultCounters,
            Hosting = run.Processes is null ? HostingTotals.InProcess : HostingTotals.From(run.Processes),
        };
        await File.WriteAllLinesAsync(
            Path.Combine(output, "tasks.jsonl"),
            cloud.Front.Tasks.Select(t => System.Text.Json.JsonSerializer.Serialize(new { t.TaskId, t.Spec.TaskName, t.Spec.LogGroupName, t.Spec.From, t.Spec.To, t.StatusCode, t.CreationTime, t.EventCount, t.Foreign })),
            CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(result.ReportPath, RunReport.Json(result), CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "summary.md"), RunReport.Markdown(result), CancellationToken.None).ConfigureAwait(false);
        return result;
    }
}
