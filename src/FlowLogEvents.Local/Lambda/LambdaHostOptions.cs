namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// What the caller (the harness) decides about the environments of a function, beyond its definition.
/// </summary>
public sealed class LambdaHostOptions
{
    /// <summary>
    /// The credentials of environment number n (1, 2, ... per function). Each environment needs its own access key
    /// id: <see cref="EnvironmentRegistry"/> finds an environment by it.
    /// </summary>
    public Func<FunctionDefinition, int, FunctionCredentials> Credentials { get; init; } = static (definition, number) =>
        new FunctionCredentials($"ASIA{definition.Name.ToUpperInvariant()}{number:D4}", "local-secret-" + number, "local-session-" + number);

    /// <summary>The functions' clock, for <c>Lambda-Runtime-Deadline-Ms</c> and the log stream's date.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How many times faster than real time <see cref="Clock"/> runs: a timeout of T real seconds is a deadline
    /// T × speed ahead on the function's clock.
    /// </summary>
    public double ClockSpeed { get; init; } = 1;

    /// <summary>Variables every process of the function also gets (e.g. AWS_ENDPOINT_URL). They may not be reserved keys.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Variables computed right before each <c>Process.Start</c> (e.g. libfaketime's LD_PRELOAD and
    /// <c>FAKETIME="@offset x speed"</c>, which must describe the clock at that instant). Not reserved keys.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>>? ClockEnvironment { get; init; }

    /// <summary>Each line a process writes to stdout or stderr, with its environment id. Called from pipe reader threads.</summary>
    public Action<string, string>? Output { get; init; }

    /// <summary>Where environments are registered by access key id; share one across functions. Null: a registry of this function's own.</summary>
    public EnvironmentRegistry? Registry { get; init; }

    /// <summary>How long a new process may take to ask for its first invocation (Lambda's init limit, real time).</summary>
    public TimeSpan InitTimeout { get; init; } = LambdaLimits.InitTimeout;
}
