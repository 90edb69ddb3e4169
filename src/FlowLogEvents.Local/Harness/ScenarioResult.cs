using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>The outcome of a run: the verdict, and what happened on the way.</summary>
public sealed record ScenarioResult
{
    public required string RunId { get; init; }

    public required ScenarioOptions Options { get; init; }

    public required TimeSpan SettleDelay { get; init; }

    public required TimeSpan Debounce { get; init; }

    public required QueueTiming QueueTiming { get; init; }

    public required string OutputDirectory { get; init; }

    public required string ReportPath { get; init; }

    public required string FunctionLogPath { get; init; }

    public required Uri MotoEndpoint { get; init; }

    public required string Bucket { get; init; }

    public required string ExportPrefix { get; init; }

    public required string StatePrefix { get; init; }

    public required Uri SignalQueueUrl { get; init; }

    public required Uri DeadLetterQueueUrl { get; init; }

    public required DateTimeOffset SimulatedStart { get; init; }

    public required DateTimeOffset SimulatedEnd { get; init; }

    public required TimeSpan RealDuration { get; init; }

    public required int GeneratedRecords { get; init; }

    public required int LateRecords { get; init; }

    public required IReadOnlyList<GroupProgress> Groups { get; init; }

    public required RunCounters Counters { get; init; }

    public required ExportTaskTotals Tasks { get; init; }

    /// <summary>What the verification asked CloudWatch Logs (the front's counters of Logs Insights and FilterLogEvents); null where no front ran.</summary>
    public LocalCloud.VerificationReadStats? Reads { get; init; }

    public required int QueueDepthAtEnd { get; init; }

    public required int DeadLetterDepthAtEnd { get; init; }

    /// <summary>Signals replayed from the DLQ to the signal queue once the exports were done (docs/operations.md, "Replay the dead-letter queue").</summary>
    public int DeadLettersReplayed { get; init; }

    /// <summary>Why the run did not finish normally (timeout, rejected events, clock ahead of real time), or null.</summary>
    public string? Failure { get; init; }

    /// <summary>Errors met on the way (dropped deliveries, function errors), at most a few dozen.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    public required Verification Verification { get; init; }

    /// <summary>What the fault injectors did (empty without faults).</summary>
    public Faults.FaultCounters Faults { get; init; } = new();

    /// <summary>How the functions ran (processes of the package, or in-process).</summary>
    public HostingTotals Hosting { get; init; } = HostingTotals.InProcess;

    public bool Ok => Failure is null && Verification.Ok;
}
