using Amazon.Runtime;
using System.Collections.Concurrent;
using FlowLogEvents.Aws;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// A started run: the functions (processes of the package, or in-process), the subscription delivery, the event source
/// mappings, and the background work (traffic, another tool's tasks, failing tasks, a start-over) on the provisioned
/// cloud. Disposing it stops the functions and closes the function log; <see cref="StopAsync"/> ends the background work.
/// </summary>
internal sealed class RunningScenario : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _problems = new();
    private int _written;
    private FunctionLog? _log;
    private FunctionClients? _functionClients;
    private CancellationTokenSource? _stop;
    private Task _esm = Task.CompletedTask;
    private System.Collections.Concurrent.ConcurrentDictionary<string, byte> _deleted = new(StringComparer.Ordinal);
    private IReadOnlyList<Task> _failureMappings = [];
    private Task _foreign = Task.CompletedTask;
    private Task _failing = Task.CompletedTask;

    private RunningScenario(ScenarioSetup setup, LocalCloudResources cloud)
    {
        Setup = setup;
        Cloud = cloud;
        FunctionLogPath = Path.Combine(setup.Output, "functions.jsonl");
        Checkpoints = new S3CheckpointStore(cloud.S3, cloud.ExportSettings.StateBucket, cloud.ExportSettings.StatePrefix);
    }

    public ScenarioSetup Setup { get; }

    public LocalCloudResources Cloud { get; }

    public RunCounters Counters { get; } = new();

    /// <summary>Errors met on the way (dropped deliveries, function errors), at most 50.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public string FunctionLogPath { get; }

    public FaultCounters FaultCounters { get; } = new();

    /// <summary>The package's processes; null when the handlers run in this process.</summary>
    public FunctionProcesses? Processes { get; private set; }

    public S3CheckpointStore Checkpoints { get; }

    /// <summary>The signal function's on-failure destination, where the template configures one.</summary>
    public Uri? FailureQueueUrl => Cloud.SignalFailureQueueUrl;

    /// <summary>Traffic batches written and handed to the subscription so far.</summary>
    public int Written => Volatile.Read(ref _written);

    /// <summary>Records ingested later than the settle delay after their timestamp (an export may have covered their range).</summary>
    public ConcurrentDictionary<string, byte> LateBeyondSettle { get; } = new(StringComparer.Ordinal);

    public Task Traffic { get; private set; } = Task.CompletedTask;

    public Task<StartOver?> StartingOver { get; private set; } = Task.FromResult<StartOver?>(null);

    /// <summary>The event source mapping of the export function on the signal queue.</summary>
    public Task EventSourceMapping => _esm;

    /// <summary>The ids of the signal queue's messages the export function's event source mapping processed and deleted.</summary>
    public IReadOnlyDictionary<string, byte> DeletedMessages => _deleted;

    /// <summary>
    /// Starts the functions, checks each subscription's destination with a control message, starts the event source
    /// mappings, and starts the traffic and the scheduled faults.
    /// </summary>
    public static async Task<RunningScenario> StartAsync(ScenarioSetup setup, LocalCloudResources cloud, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(cloud);
        var run = new RunningScenario(setup, cloud);
        try
        {
            await run.StartAsync(ct).ConfigureAwait(false);
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Where each log group's export stands, from its checkpoint.</summary>
    public async Task<IReadOnlyList<GroupProgress>> GroupProgressAsync(CancellationToken ct)
    {
        var plan = Setup.Plan;
        var result = new List<GroupProgress>(plan.Groups.Count);
        foreach (var group in plan.Groups)
        {
            var stored = await LoadCheckpointAsync(group.Name, ct).ConfigureAwait(false);
            result.Add(new GroupProgress(
                group.Name,
                group.Silent,
                plan.RecordsOf(group.Name).Count,
                plan.LastTimestampOf(group.Name),
                stored?.Value.ExportedThrough,
                stored?.Value.InFlight is not null,
                stored?.Value.ExportsCompleted ?? 0L,
                stored?.Value.LateExports.Count ?? 0,
                (Setup.Options.UntilFinal ? stored?.Value.Verifications.Count : stored?.Value.Verifications.Count(v => v.Checks == 0 || v.Shortfall > 0 || v.Recheck || v.LastOutcome == FlowLogEvents.Verification.VerificationOutcome.Unverifiable)) ?? 0,
                stored?.Value.Verifications.Count ?? 0));
        }

        return result;
    }

    /// <summary>
    /// A log group's checkpoint, read again when the read was torn: moto serves a GET that races a PUT of the same key
    /// with the new object's checksum and the old body (or the reverse), which the SDK refuses ("Expected hash not equal
    /// to calculated hash"). S3's GETs are atomic, so this is the emulator's artefact, not a state of the run.
    /// </summary>
    private async Task<FlowLogEvents.Exports.StoredCheckpoint?> LoadCheckpointAsync(string logGroup, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Checkpoints.LoadAsync(logGroup, ct).ConfigureAwait(false);
            }
            catch (AmazonClientException ex) when (attempt < 5 && ex.Message.Contains("Expected hash not equal to calculated hash", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the background work (event source mappings, traffic, scheduled faults) and waits for it, whatever its outcome.</summary>
    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(new[] { _esm, Traffic, _foreign, _failing, StartingOver }.Concat(_failureMappings).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _stop?.Dispose();
        if (Processes is not null)
        {
            await Processes.DisposeAsync().ConfigureAwait(false);
        }

        if (_functionClients is not null)
        {
            await _functionClients.DisposeAsync().ConfigureAwait(false);
        }

        _log?.Dispose();
    }

    private void Problem(string message)
    {
        if (_problems.Count < 50)
        {
            _problems.Enqueue(message);
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        var (options, template, clock, plan) = (Setup.Options, Setup.Template, Setup.Clock, Setup.Plan);
        var cloud = Cloud;
        var counters = Counters;
        var log = _log = new FunctionLog(FunctionLogPath, counters);
        var signalSettings = cloud.SignalSettings;
        var exportSettings = cloud.ExportSettings;
        var faults = options.Faults;
        var functionClients = _functionClients = FunctionClients.Create(cloud, faults, FaultCounters, options.Seed);
        var crashes = new CrashSchedule(faults, FaultCounters, options.Seed ^ 0x0c4a54);
        TimeProvider functionClock = faults.FunctionClockOffset == TimeSpan.Zero ? clock : new OffsetClock(clock, faults.FunctionClockOffset);

        var processes = Processes = options.PackageDirectory is { } packageDirectory
            ? await FunctionProcesses.StartAsync(cloud, template, FunctionPackage.Open(packageDirectory, FunctionPackage.HostRuntimeIdentifier), clock, faults, FaultCounters, crashes, options.Seed, options.SignalInstances, log, Problem, ct).ConfigureAwait(false)
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
            (signalFunctions, exportFunction, backfillFunction) = InProcessFunctions.Create(cloud, functionClients, faults, crashes, functionClock, log, options.SignalInstances);
        }

        var failureQueueUrl = FailureQueueUrl;
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

        var stop = _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
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
        _deleted = esm.Deleted;
        _esm = Task.Run(() => esm.RunAsync(stop.Token), CancellationToken.None);

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
        _failureMappings = failureMappings.Select(m => Task.Run(() => m.RunAsync(stop.Token), CancellationToken.None)).ToList();
        var failingBatches = ScenarioTraffic.LastBatches(plan, faults.SignalFailureLastDeliveries);
        var trafficStart = Setup.TrafficStart;
        Traffic = Task.Run(() => ScenarioTraffic.WriteTrafficAsync(plan, cloud, clock, Setup.Settle, delivery, failingBatches, counters, () => Interlocked.Increment(ref _written), m => LateBeyondSettle.TryAdd(m, 0), stop.Token), CancellationToken.None);
        _foreign = Task.Run(() => ScenarioFaultSchedule.HoldSlotsAsync(options, trafficStart, cloud.Front, clock, counters, stop.Token), CancellationToken.None);
        _failing = Task.Run(() => ScenarioFaultSchedule.FailTasksAsync(options, trafficStart, cloud.Front, clock, stop.Token), CancellationToken.None);
        StartingOver = Task.Run(() => ScenarioFaultSchedule.StartOverAsync(options, trafficStart, plan, cloud, exportSettings.StateBucket, Checkpoints, clock, stop.Token), CancellationToken.None);
    }
}
