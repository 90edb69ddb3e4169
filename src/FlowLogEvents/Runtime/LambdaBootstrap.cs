using System.Globalization;
using FlowLogEvents.Configuration;

namespace FlowLogEvents.Runtime;

/// <summary>
/// A custom runtime's loop (provided.al2023): selects the function named by <c>_HANDLER</c>, constructs it once
/// (a failure is reported to <c>runtime/init/error</c> and the process exits), then forever takes the next event,
/// sets <c>_X_AMZN_TRACE_ID</c> to its trace header, runs the function with a token that fires
/// <see cref="DeadlineMargin"/> before the deadline, and posts the response or the error. A Runtime API 500
/// ("non-recoverable, exit promptly") or a failed <c>next</c> ends the loop with <see cref="ExitRuntimeApiFailed"/>.
/// </summary>
public sealed class LambdaBootstrap
{
    public const string HandlerVariable = "_HANDLER";
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>The process ended because it was asked to (the caller's token).</summary>
    public const int ExitStopped = 0;

    /// <summary>Settings missing, or the function could not be selected or constructed (reported as an init error).</summary>
    public const int ExitInitFailed = 1;

    /// <summary>The Runtime API answered 500, or <c>next</c> failed: Lambda will not hand this process more work.</summary>
    public const int ExitRuntimeApiFailed = 2;

    /// <summary>
    /// Time left after the handler's token fires, to unwind the cancelled calls, log, serialize the answer and post it
    /// before Lambda's timeout. Two seconds, not less: a 512 MB function has about a third of a vCPU, and a cold process
    /// on a busy 2-core CI machine once needed more than 500 ms for that path (the invocation timed out and the process
    /// was killed, the very outcome the token is there to prevent). Out of the export function's 60 s it costs little.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(2);

    /// <summary>Lambda's maximum function timeout; a deadline further away is clamped to it.</summary>
    public static readonly TimeSpan MaxBudget = TimeSpan.FromMinutes(15);

    private readonly RuntimeApiClient _api;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;

    public LambdaBootstrap(RuntimeApiClient api, TimeProvider time, TextWriter log)
    {
        _api = api;
        _time = time;
        _log = log;
    }

    /// <summary>The process entry point: reads <c>AWS_LAMBDA_RUNTIME_API</c> and <c>_HANDLER</c> once, then runs the loop.</summary>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, Func<LambdaHandler>> handlers, CancellationToken ct = default)
    {
        string runtimeApi;
        try
        {
            runtimeApi = EnvironmentReader.Process.Required(RuntimeApiVariable);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"bootstrap: {ex.Message}; this executable runs only inside Lambda").ConfigureAwait(false);
            return ExitInitFailed;
        }

        using var api = new RuntimeApiClient(runtimeApi);
        var bootstrap = new LambdaBootstrap(api, TimeProvider.System, Console.Error);
        return await bootstrap.RunAsync(handlers, Environment.GetEnvironmentVariable(HandlerVariable), ct).ConfigureAwait(false);
    }

    /// <param name="handlers">Handler string -> factory that constructs the function.</param>
    /// <param name="handlerName">The function's Handler setting (<c>_HANDLER</c>).</param>
    /// <param name="ct">Stops the loop between invocations (tests; a host that shuts down).</param>
    /// <returns>The process exit code.</returns>
    public async Task<int> RunAsync(IReadOnlyDictionary<string, Func<LambdaHandler>> handlers, string? handlerName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var handler = await InitializeAsync(handlers, handlerName, ct).ConfigureAwait(false);
        if (handler is null)
        {
            return ExitInitFailed;
        }

        while (!ct.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await _api.GetNextInvocationAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RuntimeApiException or InvocationHeaderException or HttpRequestException)
            {
                await _log.WriteLineAsync($"bootstrap: exiting: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                return ExitRuntimeApiFailed;
            }

            if (!await InvokeAsync(handler, invocation, ct).ConfigureAwait(false))
            {
                return ExitRuntimeApiFailed;
            }
        }

        return ExitStopped;
    }

    /// <summary>The token's delay: the deadline minus the margin, clamped to [0, <see cref="MaxBudget"/>].</summary>
    public static TimeSpan Budget(DateTimeOffset deadline, DateTimeOffset now) =>
        TimeSpan.FromTicks(Math.Clamp((deadline - now - DeadlineMargin).Ticks, 0, MaxBudget.Ticks));

    private async Task<LambdaHandler?> InitializeAsync(IReadOnlyDictionary<string, Func<LambdaHandler>> handlers, string? handlerName, CancellationToken ct)
    {
        LambdaError error;
        var known = string.Join(", ", handlers.Keys.Order(StringComparer.Ordinal));
        if (string.IsNullOrWhiteSpace(handlerName))
        {
            error = new LambdaError($"environment variable {HandlerVariable} is not set; known handlers: {known}", LambdaError.NoSuchHandler, []);
        }
        else if (!handlers.TryGetValue(handlerName, out var factory))
        {
            error = new LambdaError($"handler '{handlerName}' is unknown; known handlers: {known}", LambdaError.NoSuchHandler, []);
        }
        else
        {
            try
            {
                return factory();
            }
            catch (Exception ex)
            {
                // Any constructor failure (a missing setting) is an init error; Lambda retries init on the next event.
                error = LambdaError.From(ex);
            }
        }

        await _log.WriteLineAsync($"bootstrap: init failed: {error.ErrorType}: {error.ErrorMessage}").ConfigureAwait(false);
        try
        {
            await _api.PostInitErrorAsync(error, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RuntimeApiException or HttpRequestException)
        {
            await _log.WriteLineAsync($"bootstrap: init error not reported: {ex.Message}").ConfigureAwait(false);
        }

        return null;
    }

    /// <returns>False when the process must exit (the Runtime API answered 500).</returns>
    private async Task<bool> InvokeAsync(LambdaHandler handler, LambdaInvocation invocation, CancellationToken ct)
    {
        // As AWS's runtimes do: the AWS SDK reads it on every request and sends it as X-Amzn-Trace-Id.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var deadline = new CancellationTokenSource(Budget(invocation.Deadline, _time.GetUtcNow()), _time);
        Stream response;
        try
        {
            using var input = new MemoryStream(invocation.Payload.ToArray(), writable: false);
            response = await handler(input, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever the function throws, a deadline cancellation included, is the invocation's error.
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bootstrap: invocation {invocation.RequestId} failed: {ex}")).ConfigureAwait(false);
            return await PostAsync(_api.PostErrorAsync(invocation.RequestId, LambdaError.From(ex), ct)).ConfigureAwait(false);
        }

        await using (response.ConfigureAwait(false))
        {
            return await PostAsync(_api.PostResponseAsync(invocation.RequestId, response, ct)).ConfigureAwait(false);
        }
    }

    private async Task<bool> PostAsync(Task post)
    {
        try
        {
            await post.ConfigureAwait(false);
            return true;
        }
        catch (RuntimeApiException ex)
        {
            // 400/403/413 concern this invocation only; 500 means this process is done.
            await _log.WriteLineAsync($"bootstrap: {ex.Message}").ConfigureAwait(false);
            return !ex.IsNonRecoverable;
        }
    }
}
