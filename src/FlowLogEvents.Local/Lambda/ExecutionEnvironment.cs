using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// One Lambda execution environment: a process started from <c>&lt;package&gt;/bootstrap</c> (working directory the
/// package, an empty environment plus <see cref="LambdaEnvironment"/>'s variables, the caller's extras and the clock
/// hook's) that speaks the Runtime API to its own <see cref="RuntimeApiServer"/>. One invocation at a time.
/// </summary>
/// <remarks>
/// Two clocks. <c>Lambda-Runtime-Deadline-Ms</c> is on the FUNCTION's clock (<see cref="LambdaHostOptions.Clock"/>,
/// which may run <see cref="LambdaHostOptions.ClockSpeed"/> times faster than real time, like the process's own clock
/// under libfaketime): function-now + timeout × speed at delivery. The timeout is enforced on the REAL clock, since
/// computation is not sped up: the process tree is killed <see cref="FunctionDefinition.Timeout"/> of real time after
/// <c>GET /next</c> delivered the invocation (TimedOut). A process that exits, or is <see cref="Kill"/>ed, while an
/// invocation runs ends it as Died; one that exits before asking for its first invocation, or posts
/// <c>init/error</c>, ends it as InitError. After Died, TimedOut or InitError the environment is dead: the next
/// invocation goes to a new process (a cold start). stdout and stderr go line by line to
/// <see cref="LambdaHostOptions.Output"/>; a dead process's last partial line is delivered before its invocation returns.
/// </remarks>
public sealed class ExecutionEnvironment : IRuntimeApi, IAsyncDisposable
{
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(2);

    private readonly FunctionDefinition _definition;
    private readonly LambdaHostOptions _options;
    private readonly FunctionCounters _counters;
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceStart = new();
    private RuntimeApiServer _server = null!;
    private Process _process = null!;
    private TaskCompletionSource<PendingInvocation> _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PendingInvocation? _current;
    private bool _dead;
    private bool _killedByCaller;
    private bool _coldStartReported;
    private int _disposed;
    private TimeSpan? _toFirstNext;
    private TimeSpan? _toFirstResponse;

    private ExecutionEnvironment(FunctionDefinition definition, int number, FunctionCredentials credentials, LambdaHostOptions options, FunctionCounters counters)
    {
        _definition = definition;
        _options = options;
        _counters = counters;
        Number = number;
        EnvironmentId = $"{definition.Name}-{number}";
        AccessKeyId = credentials.AccessKeyId;
        LogStreamName = LambdaEnvironment.LogStreamName(options.Clock.GetUtcNow());
    }

    public string FunctionName => _definition.Name;

    /// <summary><c>&lt;function&gt;-&lt;n&gt;</c>, n counting the function's environments from 1.</summary>
    public string EnvironmentId { get; }

    public int Number { get; }

    public string AccessKeyId { get; }

    public string LogStreamName { get; }

    /// <summary>The AWS_LAMBDA_RUNTIME_API value (host:port).</summary>
    public string RuntimeApi => _server.Address;

    public int ProcessId => _process.Id;

    /// <summary>The running invocation's request id; null when idle.</summary>
    public string? CurrentRequestId
    {
        get
        {
            lock (_gate)
            {
                return _current?.RequestId;
            }
        }
    }

    /// <summary>False once the process died, was killed, timed out or failed init.</summary>
    public bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                return !_dead && !_process.HasExited;
            }
        }
    }

    /// <summary>Starts the server and the process. Throws when the bootstrap cannot be executed.</summary>
    internal static ExecutionEnvironment Start(FunctionDefinition definition, int number, LambdaHostOptions options, FunctionCounters counters, EnvironmentRegistry registry)
    {
        var credentials = options.Credentials(definition, number);
        var environment = new ExecutionEnvironment(definition, number, credentials, options, counters);
        environment._server = RuntimeApiServer.Start(environment);
        try
        {
            registry.Add(environment);
            try
            {
                environment.StartProcess(credentials);
            }
            catch
            {
                registry.Remove(environment);
                throw;
            }
        }
        catch
        {
            environment._server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return environment;
    }

    /// <summary>
    /// Kills the process tree now (a crash injected from outside): the running invocation, if any, ends as Died.
    /// </summary>
    public void Kill()
    {
        PendingInvocation? current;
        lock (_gate)
        {
            _killedByCaller = true;
            _dead = true;
            current = _current;
        }

        KillTree();
        if (current is not null)
        {
            End(current, Ended(InvocationOutcome.Died, current, "Runtime.ExitError", $"RequestId: {current.RequestId} Error: Runtime exited with error: signal: killed"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        await WaitForExitAsync();
        await _server.DisposeAsync();
        _process.Dispose();
    }

    /// <summary>
    /// Runs one invocation here; null when the environment turned out dead before the invocation was assigned
    /// (nothing was delivered: give it to another environment).
    /// </summary>
    internal async Task<InvocationResult?> InvokeAsync(byte[] payload, string? traceId, bool coldStart, CancellationToken ct)
    {
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, traceId, coldStart);
        lock (_gate)
        {
            if (_current is not null)
            {
                throw new InvalidOperationException($"{EnvironmentId} already runs invocation {_current.RequestId}: one invocation at a time.");
            }

            if (_dead || _process.HasExited)
            {
                return null;
            }

            _current = invocation;
            _assigned.TrySetResult(invocation);
        }

        try
        {
            var askLimit = coldStart ? _options.InitTimeout : _definition.Timeout;
            if (!await EndsWithinAsync(Task.WhenAny(invocation.Delivered, invocation.Result), askLimit, ct))
            {
                TimeOut(invocation, $"RequestId: {invocation.RequestId} Error: the runtime did not ask for the invocation (GET /next) within {askLimit.TotalSeconds:0.00} seconds");
            }
            else if (!invocation.HasEnded && !await EndsWithinAsync(invocation.Result, _definition.Timeout, ct))
            {
                TimeOut(invocation, $"RequestId: {invocation.RequestId} Error: Task timed out after {_definition.Timeout.TotalSeconds:0.00} seconds");
            }

            var result = await invocation.Result;
            if (result.Outcome is InvocationOutcome.Died or InvocationOutcome.TimedOut or InvocationOutcome.InitError)
            {
                await WaitForExitAsync();
            }

            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Kill();
            throw;
        }
    }

    async Task<RuntimeDelivery?> IRuntimeApi.NextAsync(CancellationToken ct)
    {
        Task<PendingInvocation> assigned;
        lock (_gate)
        {
            _toFirstNext ??= _sinceStart.Elapsed;
            if (_current is { IsDelivered: true })
            {
                return null;
            }

            assigned = _assigned.Task;
        }

        var invocation = await assigned.WaitAsync(ct);
        lock (_gate)
        {
            if (invocation != _current || invocation.IsDelivered)
            {
                return null;
            }

            _assigned = new TaskCompletionSource<PendingInvocation>(TaskCreationOptions.RunContinuationsAsynchronously);
            invocation.MarkDelivered();
        }

        var deadline = _options.Clock.GetUtcNow() + (_definition.Timeout * _options.ClockSpeed);
        return new RuntimeDelivery(invocation.RequestId, deadline.ToUnixTimeMilliseconds(), _definition.Arn, invocation.TraceId, invocation.Payload);
    }

    HttpStatusCode IRuntimeApi.Respond(string requestId, byte[] body)
    {
        if (Running(requestId) is not { } invocation)
        {
            return HttpStatusCode.BadRequest;
        }

        return End(invocation, Ended(InvocationOutcome.Success, invocation) with { Response = body })
            ? HttpStatusCode.Accepted
            : HttpStatusCode.BadRequest;
    }

    HttpStatusCode IRuntimeApi.RespondTooLarge(string requestId, long size)
    {
        if (Running(requestId) is not { } invocation)
        {
            return HttpStatusCode.BadRequest;
        }

        var message = $"Response payload size ({size} bytes) exceeded maximum allowed payload size ({LambdaLimits.MaxResponseBytes} bytes).";
        return End(invocation, Ended(InvocationOutcome.FunctionError, invocation, "Function.ResponseSizeTooLarge", message))
            ? HttpStatusCode.RequestEntityTooLarge
            : HttpStatusCode.BadRequest;
    }

    HttpStatusCode IRuntimeApi.Fail(string requestId, string? errorTypeHeader, byte[] body)
    {
        if (Running(requestId) is not { } invocation)
        {
            return HttpStatusCode.BadRequest;
        }

        var (errorType, errorMessage) = ParseError(errorTypeHeader, body);
        return End(invocation, Ended(InvocationOutcome.FunctionError, invocation, errorType, errorMessage) with { Response = body })
            ? HttpStatusCode.Accepted
            : HttpStatusCode.BadRequest;
    }

    HttpStatusCode IRuntimeApi.FailInit(string? errorTypeHeader, byte[] body)
    {
        PendingInvocation? current;
        lock (_gate)
        {
            _dead = true;
            current = _current;
        }

        if (current is not null)
        {
            var (errorType, errorMessage) = ParseError(errorTypeHeader, body);
            End(current, Ended(InvocationOutcome.InitError, current, errorType, errorMessage) with { Response = body });
        }

        return HttpStatusCode.Accepted;
    }

    void IRuntimeApi.InitErrorAnswered() => KillTree();

    /// <summary>errorType from the header (as Lambda takes it), else from the document; errorMessage from the document.</summary>
    private static (string ErrorType, string ErrorMessage) ParseError(string? errorTypeHeader, byte[] body)
    {
        string? type = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                type = document.RootElement.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = document.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body);
        }

        return (!string.IsNullOrEmpty(errorTypeHeader) ? errorTypeHeader : type ?? "Runtime.Unknown", message ?? string.Empty);
    }

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan limit, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(limit, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private InvocationResult Ended(InvocationOutcome outcome, PendingInvocation invocation, string? errorType = null, string? errorMessage = null) =>
        new(outcome, invocation.RequestId, EnvironmentId, invocation.ColdStart) { ErrorType = errorType, ErrorMessage = errorMessage };

    private PendingInvocation? Running(string requestId)
    {
        lock (_gate)
        {
            return _current is { IsDelivered: true, HasEnded: false } current && current.RequestId == requestId ? current : null;
        }
    }

    /// <summary>Ends <paramref name="invocation"/> with <paramref name="result"/> unless something else ended it first.</summary>
    private bool End(PendingInvocation invocation, InvocationResult result)
    {
        ColdStartTiming? timing = null;
        lock (_gate)
        {
            if (invocation != _current || !invocation.TryEnd(result))
            {
                return false;
            }

            _current = null;
            if (result.Outcome is InvocationOutcome.Success or InvocationOutcome.FunctionError)
            {
                _toFirstResponse ??= _sinceStart.Elapsed;
            }
            else
            {
                _dead = true;
            }

            if (!_coldStartReported)
            {
                _coldStartReported = true;
                timing = new ColdStartTiming(EnvironmentId, _toFirstNext, _toFirstResponse);
            }
        }

        if (timing is not null)
        {
            _counters.AddColdStartTiming(timing);
        }

        return true;
    }

    private void TimeOut(PendingInvocation invocation, string message)
    {
        if (End(invocation, Ended(InvocationOutcome.TimedOut, invocation, "Sandbox.Timedout", message)))
        {
            KillTree();
        }
    }

    private void OnExited()
    {
        PendingInvocation? current;
        bool delivered;
        lock (_gate)
        {
            _dead = true;
            current = _current;
            delivered = _killedByCaller || current is { IsDelivered: true };
        }

        if (current is null)
        {
            return;
        }

        var message = $"RequestId: {current.RequestId} Error: Runtime exited with error: exit status {ExitCode()}";
        End(current, Ended(delivered ? InvocationOutcome.Died : InvocationOutcome.InitError, current, "Runtime.ExitError", message));
    }

    private string ExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private void StartProcess(FunctionCredentials credentials)
    {
        var start = new ProcessStartInfo(_definition.BootstrapPath)
        {
            WorkingDirectory = _definition.PackageDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment.Clear();
        foreach (var (key, value) in LambdaEnvironment.For(_definition, _server.Address, credentials, LogStreamName))
        {
            start.Environment[key] = value;
        }

        AddCallerVariables(start, _options.ExtraEnvironment, nameof(LambdaHostOptions.ExtraEnvironment));
        if (_options.ClockEnvironment is { } clock)
        {
            AddCallerVariables(start, clock(), nameof(LambdaHostOptions.ClockEnvironment));
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Exited += (_, _) => OnExited();
        _process = process;
        _sinceStart.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _counters.ColdStarted();
    }

    private static void AddCallerVariables(ProcessStartInfo start, IReadOnlyDictionary<string, string> variables, string source)
    {
        foreach (var (key, value) in variables)
        {
            if (LambdaEnvironment.IsReserved(key))
            {
                throw new InvalidOperationException($"{source} sets {key}, which Lambda reserves.");
            }

            start.Environment[key] = value;
        }
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            _options.Output?.Invoke(EnvironmentId, line);
        }
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits (bounded) for the process to exit and its pipes to be read to the end.</summary>
    private async Task WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(FlushLimit);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // A grandchild still holds a pipe open: stop waiting for its output.
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
    }
}
