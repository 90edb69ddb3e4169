using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Local.Faults;

/// <summary>
/// One Lambda execution environment of a function, built by a factory that receives its
/// <see cref="ProcessDeath"/>. An invocation returns the handler's response, throws what it threw, or
/// returns null when the process died; the next invocation then gets a fresh environment (a cold
/// start: the warm state of the dead one is gone). The dead invocation's task stays blocked forever.
/// </summary>
public sealed class FunctionHost<TFunction>(Func<ProcessDeath, TFunction> build, Func<TFunction, Stream, Task<Stream>> handle) : IFunctionInvoker
    where TFunction : class
{
    private ProcessDeath? _death;
    private TFunction? _function;

    public int Deaths { get; private set; }

    /// <summary>In-process: the trace header is not passed on (no <c>_X_AMZN_TRACE_ID</c> per invocation).</summary>
    public async Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null)
    {
        var death = _death ??= new ProcessDeath();
        var function = _function ??= build(death);
        death.BeginInvocation();
        var call = handle(function, new MemoryStream(payload, writable: false));
        var first = await Task.WhenAny(call, death.Died).ConfigureAwait(false);
        if (first == call)
        {
            return await call.ConfigureAwait(false);
        }

        Deaths++;
        _death = null;
        _function = null;
        return null;
    }
}
