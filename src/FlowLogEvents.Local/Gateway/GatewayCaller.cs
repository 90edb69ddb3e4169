namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// The Lambda execution environment behind an access key id: which function it runs, which environment
/// (process) it is, how to kill it, and the request id of the invocation it is serving now (a change of
/// request id is an invocation boundary).
/// </summary>
public sealed class GatewayCaller
{
    private readonly Action _kill;
    private readonly Func<string?> _currentRequestId;

    public GatewayCaller(string functionName, string environmentId, Action kill, Func<string?> currentRequestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(environmentId);
        ArgumentNullException.ThrowIfNull(kill);
        ArgumentNullException.ThrowIfNull(currentRequestId);
        FunctionName = functionName;
        EnvironmentId = environmentId;
        _kill = kill;
        _currentRequestId = currentRequestId;
    }

    public string FunctionName { get; }

    public string EnvironmentId { get; }

    /// <summary>The request id of the invocation the environment serves now; null between invocations.</summary>
    public string? CurrentRequestId => _currentRequestId();

    /// <summary>Kills the environment's process (a crash point was reached).</summary>
    public void Kill() => _kill();
}
