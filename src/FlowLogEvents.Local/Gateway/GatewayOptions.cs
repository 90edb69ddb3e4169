using FlowLogEvents.Local.Faults;

namespace FlowLogEvents.Local.Gateway;

/// <summary>What the gateway must know about the product to place crash points, and the faults to inject.</summary>
public sealed record GatewayOptions
{
    /// <summary><see cref="GatewayCaller.FunctionName"/> of the signal function's environments.</summary>
    public required string SignalFunctionName { get; init; }

    /// <summary><see cref="GatewayCaller.FunctionName"/> of the export function's environments.</summary>
    public required string ExportFunctionName { get; init; }

    /// <summary>The bucket of the checkpoints (the product's STATE_BUCKET).</summary>
    public required string StateBucket { get; init; }

    /// <summary>The key prefix of the checkpoints (the product's STATE_PREFIX; slashes at either end do not matter).</summary>
    public string StatePrefix { get; init; } = string.Empty;

    /// <summary>The signal queue: both functions' SendMessage to it are crash points. Compared by path (<c>/&lt;account&gt;/&lt;queue&gt;</c>), so moto's host and the gateway's both match.</summary>
    public required Uri SignalQueueUrl { get; init; }

    /// <summary>AWS errors and lost responses injected into the functions' traffic (crash settings are in <see cref="Crashes"/>).</summary>
    public FaultOptions Faults { get; init; } = FaultOptions.None;

    public FaultCounters FaultCounters { get; init; } = new();

    /// <summary>Seed of the AWS error / lost response draws.</summary>
    public int FaultSeed { get; init; }

    /// <summary>Crash points armed, rate and maximum per step; null: no crash.</summary>
    public CrashSchedule? Crashes { get; init; }

    public IRequestAuthorizer Authorizer { get; init; } = AllowAllAuthorizer.Instance;

    /// <summary>One JSON line per function request and what became of it (relayed with its status, lost, killed, denied), or null.</summary>
    public Action<string>? Trace { get; init; }
}
