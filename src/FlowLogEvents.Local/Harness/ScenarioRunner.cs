using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

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
    /// <summary>How many PutLogEvents calls may be in flight at once.</summary>
    private const int PutConcurrency = 8;

    /// <summary>How often a run replays its DLQ (a signal that dies again returns there).</summary>
    private const int MaxReplayRounds = 3;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<ScenarioResult> RunAsync(Uri moto, ScenarioOptions options, Action<ScenarioProgress>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(moto);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var realClock = Stopwatch.StartNew();
        var template = options.Template ?? ServerlessTemplate.Load();
        var settle = options.SettleDelay ?? TimeSpan.FromSeconds(double.Parse(template.ParameterDefault("SettleDelaySeconds") ?? "900", CultureInfo.InvariantCulture));
        var debounce = options.Debounce ?? TimeSpan.FromSeconds(double.Parse(template.ParameterDefault("DebounceSeconds") ?? "60", CultureInfo.InvariantCulture));
        var runId = Guid.NewGuid().ToString("N")[..8];
        var output = options.OutputDirectory
            ?? Path.Combine("artifacts", "local-runs", $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{runId}");
        Directory.CreateDirectory(output);

        // moto checks PutLogEvents timestamps against the REAL clock (older than 14 days or more than
        // 2 h ahead is rejected): the simulated clock starts far enough in the past that it cannot
        // pass real time before the run's deadline.
        var interval = TimeSpan.FromMinutes(options.AggregationMinutes);
        var budget = options.Duration + interval + (options.DeliveryDelay * 1.5) + TimeSpan.FromTicks(SubscriptionDelivery.RetryDelays.Sum(d => d.Ticks))
            + settle + debounce + options.DrainTimeout + TimeSpan.FromMinutes(5);
        if (budget + options.Lateness > TimeSpan.FromDays(13))
        {
            throw new ArgumentException($"the scenario spans {budget.TotalDays:0.#} simulated days; CloudWatch Logs (and moto) reject events older than 14 days");
        }

        var clock = new SimulatedClock(DateTimeOffset.UtcNow - budget, options.Speed);
        var deadline = clock.Start + budget - TimeSpan.FromMinutes(2);
        var first = clock.GetUtcNow();
        var trafficStart = new DateTimeOffset(first.Year, first.Month, first.Day, first.Hour, first.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var plan = FlowLogTraffic.Generate(options, trafficStart, $"/vpc/local-{runId}");

        var counters = new RunCounters();
        var problems = new ConcurrentQueue<string>();
        void Problem(string message)
        {
            if (problems.Count < 50)
            {
                problems.Enqueue(message);
            }
        }

        await using var cloud = await LocalCloudResources.StartAsync(moto, clock, options.ExportTiming with { Seed = options.Seed }, runId, ct).ConfigureAwait(false);
        var queueTiming = QueueTiming.FromTemplate(template, options.Speed);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SettleDelaySeconds"] = ((long)settle.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["DebounceSeconds"] = ((long)debounce.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (options.MinExportWindow is { } minWindow)
        {
            parameters["MinExportWindowSeconds"] = ((long)minWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (options.LateEvents is { } lateEvents)
        {
            parameters["LateEvents"] = lateEvents;
        }

        if (options.ClaimLease is { } lease)
        {
            parameters["ClaimLeaseSeconds"] = ((long)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (options.ExportStartBeforeTraffic is { } before)
        {
            parameters["ExportStart"] = (trafficStart - before).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        cloud.Front.FailTasksLongerThan(options.Faults.FailTasksLongerThan, options.Faults.TooLongTaskFailsAfter);
        cloud.Front.SeedTaskHistory(options.TaskHistory);
        cloud.Front.HideNewTasksFor(options.DescribeLag);
        var poisoned = options.Faults.PoisonFirstLogGroupFor is { } poisonFor ? (LogGroup: plan.Groups[0].Name, Until: trafficStart + poisonFor) : ((string LogGroup, DateTimeOffset Until)?)null;
        if (poisoned is { } poison)
        {
            cloud.Front.PoisonStatusOf(poison.LogGroup, poison.Until);
        }
        await cloud.ProvisionAsync(template, queueTiming, parameters, plan.Groups.Select(g => (g.Name, g.Streams)), ct).ConfigureAwait(false);

        var functionLogPath = Path.Combine(output, "functions.jsonl");
        using var log = new FunctionLog(functionLogPath, counters);
        var signalSettings = cloud.SignalSettings;
        var exportSettings = cloud.ExportSettings;
        var faults = options.Faults;
        var faultCounters = new FaultCounters();
        await using var functionClients = FunctionClients.Create(cloud, faults, faultCounters, options.Seed);
        var crashes = new CrashSchedule(faults, faultCounters, options.Seed ^ 0x0c4a54);
        TimeProvider functionClock = faults.FunctionClockOffset == TimeSpan.Zero ? clock : new OffsetClock(clock, faults.FunctionClockOffset);

        await using var processes = options.PackageDirectory is { } packageDirectory
            ? await FunctionProcesses.StartAsync(cloud, template, FunctionPackage.Open(packageDirectory, FunctionPackage.HostRuntimeIdentifier), clock, faults, faultCounters, crashes, options.Seed, options.SignalInstances, log, Problem, ct).ConfigureAwait(false)
            : null;
        IReadOnlyList<IFunctionInvoker> signalFunctions;
        IFunctionInvoker exportFunction;
        IFunctionInvoker? backfillFunction;
        if (processes is not null)
        {
            // One function whose environments the Lambda emulator starts as needed, up to SignalInstances at once.
            signalFunctions = Enumerable.Repeat(processes.Signal, options.SignalInstances).ToList();
            exportFunction = processes.Export;
            backfillFunction = faults.ConcurrentExportRate > 0 ? processes.Export : null;
        }
        else
        {
            (signalFunctions, exportFunction, backfillFunction) = InProcessFunctions(cloud, functionClients, faults, crashes, functionClock, log, options.SignalInstances);
        }

        var checkpoints = new S3CheckpointStore(cloud.S3, exportSettings.StateBucket, exportSettings.StatePrefix);

        var failureQueueUrl = cloud.SignalFailureQueueUrl;
        var delivery = new SubscriptionDelivery(signalFunctions, options.Seed, clock, counters, Problem, faults.DuplicateDeliveryRate)
        {
            // Lambda's on-failure destination of the signal function, where the template configures one.
            OnFailureDestination = failureQueueUrl is null ? null : (record, token) => cloud.Sqs.SendMessageAsync(failureQueueUrl.ToString(), record, token),
            FunctionArn = $"arn:aws:lambda:{LocalCloudResources.Region}:{LocalCloudResources.AccountId}:function:{FunctionProcesses.SignalFunctionName}:$LATEST",
            FailureRate = faults.SignalFailureRate,
        };
        foreach (var group in plan.Groups)
        {
            // CloudWatch Logs checks a new subscription's destination with a control message.
            await delivery.DeliverAsync(SubscriptionEncoder.ControlMessage(group.Name, clock.GetUtcNow().ToUnixTimeMilliseconds()), $"control {group.Name}", ct).ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var esm = new SqsEventSourceMapping(cloud.Sqs, signalSettings.SignalQueueUrl, cloud.SignalQueueArn, cloud.QueueTiming.BatchSize, exportFunction, counters, Problem)
        {
            ForgetDeleteRate = faults.ForgetDeleteRate,
            Concurrent = backfillFunction,
            ConcurrentRate = faults.ConcurrentExportRate,
            Seed = options.Seed,
            Trace = log.OpenStream("esm"),
            VisibilityTimeout = TimeSpan.FromSeconds(cloud.QueueTiming.VisibilityTimeoutSeconds),
            FunctionName = "ExportFunction",
            RecursiveLoop = template.RecursiveLoop("ExportFunction"),
            DeadLetterQueueUrl = cloud.DeadLetterQueueUrl,
            Clock = clock,
        };
        var esmTask = Task.Run(() => esm.RunAsync(stop.Token), CancellationToken.None);

        // The event source mappings the template gives the signal function (its on-failure destination's queue).
        var failureMappings = template.SqsEventSources(FunctionProcesses.SignalFunctionName)
            .Where(source => source.Queue == cloud.SignalFailureQueueLogicalId && failureQueueUrl is not null)
            .Select(source => new SqsEventSourceMapping(cloud.Sqs, failureQueueUrl!, cloud.SignalFailureQueueArn!, source.BatchSize, signalFunctions[0], new RunCounters(), Problem)
            {
                Seed = options.Seed,
                Trace = log.OpenStream("esm-signal-failures"),
                VisibilityTimeout = TimeSpan.FromSeconds(cloud.QueueTiming.VisibilityTimeoutSeconds),
                FunctionName = FunctionProcesses.SignalFunctionName,
                RecursiveLoop = template.RecursiveLoop(FunctionProcesses.SignalFunctionName),
                Clock = clock,
            })
            .ToList();
        var failureTasks = failureMappings.Select(m => Task.Run(() => m.RunAsync(stop.Token), CancellationToken.None)).ToList();
        var written = 0;
        var lateBeyondSettle = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var reexport = string.Equals(options.LateEvents, "reexport", StringComparison.Ordinal);
        var failingBatches = LastBatches(plan, faults.SignalFailureLastDeliveries);
        var traffic = Task.Run(() => WriteTrafficAsync(plan, cloud, clock, settle, delivery, failingBatches, counters, () => Interlocked.Increment(ref written), m => lateBeyondSettle.TryAdd(m, 0), stop.Token), CancellationToken.None);
        var foreign = Task.Run(() => HoldSlotsAsync(options, trafficStart, cloud.Front, clock, counters, stop.Token), CancellationToken.None);
        var failing = Task.Run(() => FailTasksAsync(options, trafficStart, cloud.Front, clock, stop.Token), CancellationToken.None);
        var startingOver = Task.Run(() => StartOverAsync(options, trafficStart, plan, cloud, exportSettings.StateBucket, checkpoints, clock, stop.Token), CancellationToken.None);

        string? failure = null;
        var progress = Array.Empty<GroupProgress>() as IReadOnlyList<GroupProgress>;
        var (queueDepth, dlqDepth) = (0, 0);
        var phase = "traffic";
        var (replayRounds, deadLettersReplayed) = (0, 0);
        var idlePolls = 0;
        while (true)
        {
            if (ct.IsCancellationRequested)
            {
                failure = "cancelled";
                break;
            }

            var now = clock.GetUtcNow();
            if (now > DateTimeOffset.UtcNow)
            {
                failure = $"simulated time {now:O} passed real time {DateTimeOffset.UtcNow:O}; moto would reject the events";
                break;
            }

            if (traffic.IsFaulted)
            {
                failure = $"traffic failed: {traffic.Exception!.GetBaseException().Message}";
                break;
            }

            if (startingOver.IsFaulted)
            {
                failure = $"start-over failed: {startingOver.Exception!.GetBaseException().Message}";
                break;
            }

            if (esmTask.IsFaulted)
            {
                failure = $"event source mapping failed: {esmTask.Exception!.GetBaseException().Message}";
                break;
            }

            if (processes is not null && processes.Authorizer.DeniedCount > 0)
            {
                // A request the template's roles do not allow fails in AWS on every attempt: the run cannot pass.
                failure = $"IAM denied {processes.Authorizer.DeniedCount} request(s) of the functions (roles from serverless.template): {processes.Authorizer.Denials[0]}";
                break;
            }

            progress = await GroupProgressAsync(plan, checkpoints, ct).ConfigureAwait(false);
            queueDepth = await cloud.DepthAsync(cloud.SignalQueueUrl, ct).ConfigureAwait(false);
            dlqDepth = await cloud.DepthAsync(cloud.DeadLetterQueueUrl, ct).ConfigureAwait(false);
            var failureDepth = failureQueueUrl is null ? 0 : await cloud.DepthAsync(failureQueueUrl, ct).ConfigureAwait(false);
            phase = !traffic.IsCompleted ? "traffic" : replayRounds > 0 ? "draining DLQ replay" : "draining exports";
            onProgress?.Invoke(new ScenarioProgress(phase, now, realClock.Elapsed, Volatile.Read(ref written), plan.Batches.Count, counters, cloud.Front.Stats, queueDepth, dlqDepth, progress));

            // Late records carry old timestamps: under LATE_EVENTS=reexport their signals may still be on the queue
            // while every checkpoint already looks done, so that run also waits for an empty queue, as does a
            // run that replayed its dead letters or is to replay them (the replay waits for an empty queue).
            var waitForQueue = reexport || replayRounds > 0 || (options.ReplayDeadLetters && dlqDepth > 0 && replayRounds < MaxReplayRounds);

            // A poisoned log group's work may wait in the DLQ while nothing else moves: the operator replays it once the
            // cause is gone (the fault has healed), as after a DLQ alarm. Healthy log groups' work must never be there.
            var poisonHealed = poisoned is { } p && now >= p.Until;
            if (poisoned is { } healthyCheck && dlqDepth > 0 && await HealthyWorkInDeadLettersAsync(cloud, healthyCheck.LogGroup, ct).ConfigureAwait(false) is { } hostage)
            {
                failure = $"a healthy log group's work reached the DLQ while another log group was poisoned: {hostage}";
                break;
            }

            if (poisonHealed && traffic.IsCompletedSuccessfully && queueDepth == 0 && dlqDepth > 0 && options.ReplayDeadLetters && replayRounds < MaxReplayRounds && !progress.All(g => g.Done))
            {
                replayRounds++;
                deadLettersReplayed += (await DeadLetterReplay.RunAsync(cloud.Sqs, cloud.DeadLetterQueueUrl, cloud.SignalQueueUrl, ct).ConfigureAwait(false)).Replayed;
                continue;
            }

            if (traffic.IsCompletedSuccessfully && progress.All(g => g.Done) && (!waitForQueue || queueDepth == 0))
            {
                if (options.ReplayDeadLetters && dlqDepth > 0 && queueDepth == 0 && replayRounds < MaxReplayRounds)
                {
                    replayRounds++;
                    var replay = await DeadLetterReplay.RunAsync(cloud.Sqs, cloud.DeadLetterQueueUrl, cloud.SignalQueueUrl, ct).ConfigureAwait(false);
                    deadLettersReplayed += replay.Replayed;
                    if (replay.Replayed > 0)
                    {
                        continue;
                    }
                }

                break;
            }

            // Nothing is left to run: no traffic, no signal or continuation queued or in flight, yet a log group is
            // behind (its work sits in the DLQ, for example after Lambda stopped a recursive loop). Waiting longer
            // cannot change the outcome.
            idlePolls = traffic.IsCompletedSuccessfully && queueDepth == 0 && failureDepth == 0 && !progress.All(g => g.Done) ? idlePolls + 1 : 0;
            if (idlePolls >= 8 && !(options.ReplayDeadLetters && dlqDepth > 0))
            {
                var behind = progress.Where(g => !g.Done).Select(g => g.LogGroup);
                failure = $"nothing left to run (signal queue empty, {dlqDepth} message(s) in the DLQ) while {string.Join(", ", behind)} is behind";
                break;
            }

            if (now > deadline || (traffic.IsCompleted && now > plan.LastDelivery + options.DrainTimeout))
            {
                var behind = progress.Where(g => !g.Done)
                    .Select(g => $"{g.LogGroup} exported through {(g.ExportedThrough is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("O", CultureInfo.InvariantCulture) : "nothing")}, needs {DateTimeOffset.FromUnixTimeMilliseconds(g.LastTimestamp):O}");
                failure = $"timed out {options.DrainTimeout.TotalMinutes:0} simulated minutes after the last delivery: {string.Join("; ", behind)}";
                break;
            }

            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(new[] { esmTask, traffic, foreign, failing, startingOver }.Concat(failureTasks).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        var startOver = startingOver.IsCompletedSuccessfully ? startingOver.Result : null;
        if (failure is null && options.Faults.StartOverAt is not null && startOver is null)
        {
            failure = "the start-over did not happen before the run ended";
        }

        // Tasks of the log group started over, created before its marker was deleted: no checkpoint of the new start can
        // exist before that (it would find the marker), and the old one is gone minutes earlier (a claim needs it).
        var tasksBeforeStartOver = startOver is null
            ? null
            : cloud.Front.Tasks.Where(t => t.Spec.LogGroupName == startOver.LogGroup && t.CreationTime < startOver.MarkerDeletedAt.ToUnixTimeMilliseconds()).Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
        var simulatedEnd = clock.GetUtcNow();
        onProgress?.Invoke(new ScenarioProgress("verifying", simulatedEnd, realClock.Elapsed, Volatile.Read(ref written), plan.Batches.Count, counters, cloud.Front.Stats, queueDepth, dlqDepth, progress));

        if (counters.RecursiveInvocationsDropped > 0)
        {
            var stopped = $"Lambda stopped {counters.RecursiveInvocationsDropped} recursive loop invocation(s) of ExportFunction (RecursiveInvocationsDropped; RecursiveLoop {template.RecursiveLoop("ExportFunction")}): {counters.LoopMessagesMoved} record(s) moved to the DLQ";
            failure = failure is null ? stopped : $"{stopped}; {failure}";
        }

        var lateByDesign = options.Lateness >= settle || interval + (options.DeliveryDelay * 1.5) >= settle;
        if (failure is null && counters.IngestedAfterSettle > 0 && !lateByDesign)
        {
            failure = string.Create(
                CultureInfo.InvariantCulture,
                $"the harness fell behind the simulated clock: {counters.IngestedAfterSettle} records were ingested more than the settle delay after their timestamp (PutLogEvents up to {counters.MaxPutLag.TotalMinutes:0.0} simulated minutes late), so an export may already have covered them; rerun with a lower --speed");
        }

        var expected = plan.Groups.ToDictionary(g => g.Name, g => (IReadOnlyCollection<string>)plan.RecordsOf(g.Name).Select(r => r.Message).ToList(), StringComparer.Ordinal);
        var verification = await Verifier.VerifyAsync(cloud.S3, cloud.Bucket, exportSettings.Policy.ExportPrefix, expected,
            reexport ? null : lateBeyondSettle.Keys.ToHashSet(StringComparer.Ordinal), // under reexport a missing late record is a failure
            tasksBeforeStartOver,
            CancellationToken.None).ConfigureAwait(false);
        progress = await GroupProgressAsync(plan, checkpoints, CancellationToken.None).ConfigureAwait(false);

        var result = new ScenarioResult
        {
            RunId = runId,
            Options = options,
            SettleDelay = settle,
            Debounce = debounce,
            QueueTiming = cloud.QueueTiming,
            OutputDirectory = output,
            ReportPath = Path.Combine(output, "report.json"),
            FunctionLogPath = functionLogPath,
            MotoEndpoint = moto,
            Bucket = cloud.Bucket,
            ExportPrefix = exportSettings.Policy.ExportPrefix,
            StatePrefix = exportSettings.StatePrefix,
            SignalQueueUrl = cloud.SignalQueueUrl,
            DeadLetterQueueUrl = cloud.DeadLetterQueueUrl,
            SimulatedStart = trafficStart,
            SimulatedEnd = simulatedEnd,
            RealDuration = realClock.Elapsed,
            GeneratedRecords = plan.RecordCount,
            LateRecords = plan.LateRecordCount,
            Groups = progress,
            Counters = counters,
            Tasks = ExportTaskTotals.From(cloud.Front.Stats),
            QueueDepthAtEnd = await cloud.DepthAsync(cloud.SignalQueueUrl, CancellationToken.None).ConfigureAwait(false),
            DeadLetterDepthAtEnd = await cloud.DepthAsync(cloud.DeadLetterQueueUrl, CancellationToken.None).ConfigureAwait(false),
            DeadLettersReplayed = deadLettersReplayed,
            Failure = failure,
            Problems = [.. problems],
            Verification = verification,
            Faults = faultCounters,
            Hosting = processes is null ? HostingTotals.InProcess : HostingTotals.From(processes),
        };
        await File.WriteAllLinesAsync(
            Path.Combine(output, "tasks.jsonl"),
            cloud.Front.Tasks.Select(t => System.Text.Json.JsonSerializer.Serialize(new { t.TaskId, t.Spec.TaskName, t.Spec.LogGroupName, t.Spec.From, t.Spec.To, t.StatusCode, t.CreationTime, t.EventCount, t.Foreign })),
            CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(result.ReportPath, RunReport.Json(result), CancellationToken.None).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "summary.md"), RunReport.Markdown(result), CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The handlers in this process (no package, no Runtime API): AWS faults come from clients whose HTTP goes
    /// through the fault handler, crash points from wrappers of the product's ports. Kept for harness tests
    /// that need it; a local run starts the published package instead (<see cref="FunctionProcesses"/>).
    /// </summary>
    private static (IReadOnlyList<IFunctionInvoker> Signal, IFunctionInvoker Export, IFunctionInvoker? Backfill) InProcessFunctions(
        LocalCloudResources cloud, FunctionClients functionClients, FaultOptions faults, CrashSchedule crashes, TimeProvider functionClock, FunctionLog log, int signalInstances)
    {
        var signalSettings = cloud.SignalSettings;
        var exportSettings = cloud.ExportSettings;
        IQueueSender SignalSender(ProcessDeath death) => crashes.Armed
            ? new CrashingQueueSender(new SqsQueueSender(functionClients.Sqs, signalSettings.SignalQueueUrl), crashes, death, CrashSteps.SignalBeforeSend, CrashSteps.SignalAfterSend)
            : new SqsQueueSender(functionClients.Sqs, signalSettings.SignalQueueUrl);
        var signalFunctions = Enumerable.Range(1, signalInstances)
            .Select(i => (IFunctionInvoker)new FunctionHost<SignalFunction>(
                death => new SignalFunction(
                    SignalSender(death),
                    signalSettings,
                    functionClock,
                    new Telemetry(log.OpenStream($"signal-{i}"), functionClock, "signal")),
                static (f, input) => f.HandleAsync(input)))
            .ToList();

        FunctionHost<ExportFunction> ExportHost(string name) => new(
            death =>
            {
                ICheckpointStore store = new S3CheckpointStore(functionClients.S3, exportSettings.StateBucket, exportSettings.StatePrefix);
                IExportTasks tasks = new CloudWatchExportTasks(functionClients.Logs);
                IQueueSender continuations = new SqsQueueSender(functionClients.Sqs, exportSettings.SignalQueueUrl);
                if (crashes.Armed)
                {
                    store = new CrashingCheckpointStore(store, crashes, death);
                    tasks = new CrashingExportTasks(tasks, crashes, death);
                    continuations = new CrashingQueueSender(continuations, crashes, death, CrashSteps.ExportBeforeContinuation, CrashSteps.ExportAfterContinuation);
                }

                return new ExportFunction(
                    store,
                    tasks,
                    continuations,
                    new SqsQueueSender(functionClients.Sqs, exportSettings.DeadLetterQueueUrl),
                    exportSettings.Policy,
                    functionClock,
                    new Telemetry(log.OpenStream(name), functionClock, "export"));
            },
            static (f, input) => f.HandleAsync(input));

        return (signalFunctions, ExportHost("export-1"), faults.ConcurrentExportRate > 0 ? ExportHost("export-backfill") : null);
    }

    /// <summary>Each log group's last <paramref name="count"/> batches (by delivery time): the trailing edge before it falls silent.</summary>
    private static HashSet<TrafficBatch> LastBatches(TrafficPlan plan, int count) =>
        count <= 0
            ? []
            : plan.Batches.GroupBy(b => b.LogGroup, StringComparer.Ordinal).SelectMany(g => g.OrderBy(b => b.DeliverAt).TakeLast(count)).ToHashSet(ReferenceEqualityComparer.Instance as IEqualityComparer<TrafficBatch>);

    private static async Task WriteTrafficAsync(TrafficPlan plan, LocalCloudResources cloud, SimulatedClock clock, TimeSpan settle, SubscriptionDelivery delivery, HashSet<TrafficBatch> failing, RunCounters counters, Action written, Action<string> ingestedLate, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(PutConcurrency);
        var puts = new List<Task>();
        var deliveries = new ConcurrentBag<Task>();
        long sequence = 0;
        foreach (var batch in plan.Batches)
        {
            var wait = batch.DeliverAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await clock.DelayAsync(wait, ct).ConfigureAwait(false);
            }

            await gate.WaitAsync(ct).ConfigureAwait(false);
            puts.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await PutAsync(batch, cloud.Logs, clock, ct).ConfigureAwait(false);
                        var ingested = clock.GetUtcNow();
                        var settledBefore = (ingested - settle).ToUnixTimeMilliseconds();
                        counters.Ingested(batch.Records.Count);
                        counters.PutCompleted(ingested - batch.DeliverAt, batch.Records.Count(r => r.Timestamp < settledBefore));
                        foreach (var late in batch.Records.Where(r => r.Timestamp < settledBefore))
                        {
                            ingestedLate(late.Message);
                        }
                        var events = batch.Records
                            .Select(r => new SubscriptionEvent(SubscriptionEncoder.EventId(r.Timestamp, Interlocked.Increment(ref sequence)), r.Timestamp, r.Message))
                            .ToList();
                        var invocation = SubscriptionEncoder.DataMessage(FlowLogTraffic.AccountId, batch.LogGroup, batch.LogStream, events);
                        deliveries.Add(delivery.DeliverAsync(invocation, $"{batch.LogGroup}/{batch.LogStream}", failing.Contains(batch), ct));
                        counters.BatchDelivered();
                        written();
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                ct));
            puts.RemoveAll(t => t.IsCompletedSuccessfully);
            if (puts.FirstOrDefault(t => t.IsFaulted) is { } faulted)
            {
                await faulted.ConfigureAwait(false);
            }
        }

        await Task.WhenAll(puts).ConfigureAwait(false);
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    /// <summary>Another tool's export tasks take the account's one slot at evenly spread times during the traffic.</summary>
    private static async Task HoldSlotsAsync(ScenarioOptions options, DateTimeOffset trafficStart, CloudWatchLogsFront front, SimulatedClock clock, RunCounters counters, CancellationToken ct)
    {
        for (var i = 1; i <= options.ForeignExports; i++)
        {
            var at = trafficStart + (options.Duration * i / (options.ForeignExports + 1));
            if (at > clock.GetUtcNow())
            {
                await clock.DelayAsync(at - clock.GetUtcNow(), ct).ConfigureAwait(false);
            }

            while (true)
            {
                try
                {
                    front.HoldSlot(options.ForeignExportDuration);
                    counters.ForeignExportStarted();
                    break;
                }
                catch (InvalidOperationException)
                {
                    // Our own task holds the slot right now: take it as soon as it is free.
                    await clock.DelayAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A start-over of one log group: when its checkpoint and then its marker were deleted (cloud clock).</summary>
    private sealed record StartOver(string LogGroup, DateTimeOffset CheckpointDeletedAt, DateTimeOffset MarkerDeletedAt);

    /// <summary>
    /// <see cref="FaultOptions.StartOverAt"/>: deletes the first log group with traffic's checkpoint, then its marker, as an
    /// operator starting it over does (docs/operations.md, "A deleted checkpoint"); null when the run has no start-over.
    /// </summary>
    private static async Task<StartOver?> StartOverAsync(ScenarioOptions options, DateTimeOffset trafficStart, TrafficPlan plan, LocalCloudResources cloud, string stateBucket, S3CheckpointStore checkpoints, SimulatedClock clock, CancellationToken ct)
    {
        if (options.Faults.StartOverAt is not { } at)
        {
            return null;
        }

        var group = plan.Groups.First(g => !g.Silent).Name;
        if (trafficStart + at > clock.GetUtcNow())
        {
            await clock.DelayAsync(trafficStart + at - clock.GetUtcNow(), ct).ConfigureAwait(false);
        }

        // A start-over of a log group that has exported something: the new checkpoint must not be a first one in disguise.
        while ((await checkpoints.LoadAsync(group, ct).ConfigureAwait(false))?.Value.ExportsCompleted is not > 0)
        {
            await clock.DelayAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }

        await cloud.S3.DeleteObjectAsync(stateBucket, checkpoints.KeyOf(group), ct).ConfigureAwait(false);
        var checkpointDeleted = clock.GetUtcNow();
        await clock.DelayAsync(options.Faults.StartOverMarkerAfter, ct).ConfigureAwait(false);
        await cloud.S3.DeleteObjectAsync(stateBucket, checkpoints.MarkerKeyOf(group), ct).ConfigureAwait(false);
        return new StartOver(group, checkpointDeleted, clock.GetUtcNow());
    }

    /// <summary>Export tasks that end FAILED or CANCELLED, spread over the traffic (the next task created after each moment).</summary>
    /// <summary>The log group of a DLQ message that is not <paramref name="poisoned"/>'s (looked at, left in place), or null.</summary>
    private static async Task<string?> HealthyWorkInDeadLettersAsync(LocalCloudResources cloud, string poisoned, CancellationToken ct)
    {
        var received = await cloud.Sqs.ReceiveMessageAsync(
            new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = cloud.DeadLetterQueueUrl.ToString(), MaxNumberOfMessages = 10, VisibilityTimeout = 0 },
            ct).ConfigureAwait(false);
        foreach (var message in received.Messages ?? [])
        {
            try
            {
                if (FlowLogEvents.Signals.SignalCodec.Decode(message.Body).LogGroup is var group && group != poisoned)
                {
                    return group;
                }
            }
            catch (FlowLogEvents.Signals.SignalFormatException)
            {
                // Not a signal: not a log group's work.
            }
        }

        return null;
    }

    private static async Task FailTasksAsync(ScenarioOptions options, DateTimeOffset trafficStart, CloudWatchLogsFront front, SimulatedClock clock, CancellationToken ct)
    {
        var statuses = Enumerable.Repeat(ExportTaskStatusCodes.Failed, options.Faults.FailedTasks)
            .Concat(Enumerable.Repeat(ExportTaskStatusCodes.Cancelled, options.Faults.CancelledTasks))
            .ToList();
        for (var i = 0; i < statuses.Count; i++)
        {
            var at = trafficStart + (options.Duration * (i + 1) / (statuses.Count + 1));
            if (at > clock.GetUtcNow())
            {
                await clock.DelayAsync(at - clock.GetUtcNow(), ct).ConfigureAwait(false);
            }

            front.FailNextTasks(1, statuses[i]);
        }
    }

    private static async Task PutAsync(TrafficBatch batch, CloudWatchLogsClient logs, SimulatedClock clock, CancellationToken ct)
    {
        var events = batch.Records.Select(r => new InputLogEvent(r.Timestamp, r.Message)).ToList();
        var response = await logs.PutLogEventsAsync(batch.LogGroup, batch.LogStream, events, ct).ConfigureAwait(false);
        if (response.RejectedLogEventsInfo is { } rejected
            && (rejected.TooNewLogEventStartIndex is not null || rejected.TooOldLogEventEndIndex is not null || rejected.ExpiredLogEventEndIndex is not null))
        {
            throw new InvalidOperationException(
                $"PutLogEvents rejected events of {batch.LogGroup}/{batch.LogStream} (tooNewLogEventStartIndex {rejected.TooNewLogEventStartIndex}, tooOldLogEventEndIndex {rejected.TooOldLogEventEndIndex}, expiredLogEventEndIndex {rejected.ExpiredLogEventEndIndex}); "
                + $"simulated now {clock.GetUtcNow():O}, real now {DateTimeOffset.UtcNow:O}, event times {DateTimeOffset.FromUnixTimeMilliseconds(events[0].Timestamp):O} .. {DateTimeOffset.FromUnixTimeMilliseconds(events[^1].Timestamp):O}");
        }
    }

    private static async Task<IReadOnlyList<GroupProgress>> GroupProgressAsync(TrafficPlan plan, S3CheckpointStore checkpoints, CancellationToken ct)
    {
        var result = new List<GroupProgress>(plan.Groups.Count);
        foreach (var group in plan.Groups)
        {
            var stored = await checkpoints.LoadAsync(group.Name, ct).ConfigureAwait(false);
            result.Add(new GroupProgress(
                group.Name,
                group.Silent,
                plan.RecordsOf(group.Name).Count,
                plan.LastTimestampOf(group.Name),
                stored?.Value.ExportedThrough,
                stored?.Value.InFlight is not null,
                stored?.Value.ExportsCompleted ?? 0L,
                stored?.Value.LateExports.Count ?? 0));
        }

        return result;
    }
}
