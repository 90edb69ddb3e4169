using System.Diagnostics.CodeAnalysis;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// The Lambda service side of one function: owns its execution environments (processes, see
/// <see cref="ExecutionEnvironment"/>) and hands each invocation to one. An invocation goes to an idle live
/// environment (the most recently used: warm), else to a new one while fewer than
/// <see cref="FunctionDefinition.MaxConcurrency"/> run (cold start), else waits for one to be free. A payload over
/// the invocation type's limit is rejected before any process sees it (RequestEntityTooLargeException). Dead
/// environments are replaced at the next invocation. Disposing kills every process.
/// </summary>
public sealed class LambdaFunction : IAsyncDisposable
{
    private readonly LambdaHostOptions _options;
    private readonly EnvironmentRegistry _registry;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Stack<ExecutionEnvironment> _idle = new();
    private readonly List<ExecutionEnvironment> _all = [];
    private int _started;
    private bool _disposed;

    public LambdaFunction(FunctionDefinition definition, LambdaHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        Definition = definition;
        _options = options ?? new LambdaHostOptions();
        _registry = _options.Registry ?? new EnvironmentRegistry();
        _slots = new SemaphoreSlim(definition.MaxConcurrency, definition.MaxConcurrency);
    }

    public FunctionDefinition Definition { get; }

    public FunctionCounters Counters { get; } = new();

    /// <summary>The environments alive or not yet replaced, in start order.</summary>
    public IReadOnlyList<ExecutionEnvironment> Environments
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Invokes the function; never throws for what the function did (see <see cref="InvocationResult"/>), only on cancellation or disposal.</summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, string? traceId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var limit = LambdaLimits.MaxRequestBytes(Definition.InvocationType);
        if (payload.Length > limit)
        {
            Counters.Ended(InvocationOutcome.PayloadTooLarge);
            return new InvocationResult(InvocationOutcome.PayloadTooLarge, null, null, ColdStart: false)
            {
                ErrorType = "RequestEntityTooLargeException",
                ErrorMessage = $"{payload.Length} byte payload is too large for the {Definition.InvocationType} invocation type (limit {limit} bytes)",
            };
        }

        await _slots.WaitAsync(ct);
        try
        {
            while (true)
            {
                var (environment, cold) = Take();
                var result = await environment.InvokeAsync(payload, traceId, cold, ct);
                if (result is null)
                {
                    // Found dead before the invocation was assigned: nothing was delivered.
                    await RetireAsync(environment);
                    continue;
                }

                Counters.Ended(result.Outcome);
                await ReturnAsync(environment);
                return result;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public bool TryFindByAccessKey(string accessKeyId, [NotNullWhen(true)] out ExecutionEnvironment? environment) =>
        _registry.TryFindByAccessKey(accessKeyId, out environment);

    public async ValueTask DisposeAsync()
    {
        List<ExecutionEnvironment> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _all];
            _all.Clear();
            _idle.Clear();
        }

        foreach (var environment in all)
        {
            _registry.Remove(environment);
        }

        // The semaphore is not disposed: invocations still returning from killed environments release their slot.
        await Task.WhenAll(all.Select(e => e.DisposeAsync().AsTask()));
    }

    /// <summary>An idle live environment (warm), else a new one (cold). The caller holds a slot, so one of the two exists.</summary>
    private (ExecutionEnvironment Environment, bool Cold) Take()
    {
        int number;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_idle.TryPop(out var idle))
            {
                if (idle.IsAlive)
                {
                    return (idle, false);
                }

                _all.Remove(idle);
                _registry.Remove(idle);
                _ = idle.DisposeAsync().AsTask();
            }

            number = ++_started;
        }

        var environment = ExecutionEnvironment.Start(Definition, number, _options, Counters, _registry);
        lock (_gate)
        {
            _all.Add(environment);
        }

        return (environment, true);
    }

    private async Task ReturnAsync(ExecutionEnvironment environment)
    {
        if (environment.IsAlive)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _idle.Push(environment);
                    return;
                }
            }
        }

        await RetireAsync(environment);
    }

    private async Task RetireAsync(ExecutionEnvironment environment)
    {
        lock (_gate)
        {
            _all.Remove(environment);
        }

        _registry.Remove(environment);
        await environment.DisposeAsync();
    }
}
