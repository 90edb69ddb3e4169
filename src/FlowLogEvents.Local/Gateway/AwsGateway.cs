using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FlowLogEvents.Local.Faults;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// The one AWS endpoint of the function processes (<c>AWS_ENDPOINT_URL=</c><see cref="Endpoint"/>): an HTTP
/// relay on 127.0.0.1 that routes each request by its SigV4 credential scope (<c>logs</c> to the CloudWatch
/// Logs front, everything else to moto), relays it unchanged and returns the upstream answer unchanged.
/// On the way it injects the faults of a run into the functions' traffic, on the wire:
/// <list type="bullet">
/// <item>AWS errors and lost responses through <see cref="AwsFaultHandler"/> under the upstream client (a lost
/// response reaches upstream, then the caller gets a 5xx, or its connection is broken);</item>
/// <item>crash points (<see cref="CrashRuleTable"/>, drawn by the run's <see cref="CrashSchedule"/>) as kills of the
/// calling process: at a "before" point the request is not relayed, at an "after" point it is, and the
/// process is killed before it hears the answer; in both cases the connection is reset (<see cref="ConnectionReset"/>).</item>
/// </list>
/// The caller is the environment owning the request's access key id; requests of unknown keys are relayed
/// without faults (and counted). A known caller's request passes an <see cref="IRequestAuthorizer"/> first:
/// a denial is answered with the service's AccessDenied error (<see cref="AccessDeniedResponses"/>).
/// A conditional PutObject racing another one of the same key is answered 409 ConditionalRequestConflict, as S3
/// does, whoever the caller (<see cref="ConditionalWriteConflicts"/>).
/// </summary>
/// <remarks>Served by <see cref="HttpListener"/>, each request on its own task, as the CloudWatch Logs front.</remarks>
public sealed class AwsGateway : IAsyncDisposable
{
    // Headers that belong to one hop, or that HttpListener / HttpClient set themselves.
    private static readonly HashSet<string> NotRelayed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade",
        "Server", "Date", "WWW-Authenticate",
    };

    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly HttpListener _listener;
    private readonly Uri _moto;
    private readonly Uri _logs;
    private readonly Func<string, GatewayCaller?> _resolveCaller;
    private readonly CrashRuleTable _rules;
    private readonly CrashSchedule? _crashes;
    private readonly IRequestAuthorizer _authorizer;
    private readonly Action<string>? _trace;
    private readonly ConditionalWriteConflicts _conflicts;
    private readonly HttpClient _clean;
    private readonly HttpClient _faulty;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private Task _accepting = Task.CompletedTask;

    private AwsGateway(HttpListener listener, Uri endpoint, Uri moto, Uri logs, GatewayOptions options, Func<string, GatewayCaller?> resolveCaller)
    {
        _listener = listener;
        Endpoint = endpoint;
        _moto = moto;
        _logs = logs;
        _resolveCaller = resolveCaller;
        _rules = new CrashRuleTable(options);
        _crashes = options.Crashes;
        _authorizer = options.Authorizer;
        _trace = options.Trace;
        _conflicts = new ConditionalWriteConflicts(options.Faults.ConditionalConflictRate, unchecked(options.FaultSeed * 31 + 409));
        _clean = new HttpClient(Upstream(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(5) };
        _faulty = options.Faults.AwsErrorRate > 0 || options.Faults.LostResponseRate > 0
            ? new HttpClient(new AwsFaultHandler(options.Faults, options.FaultCounters, options.FaultSeed, Upstream()), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(5) }
            : _clean;
    }

    /// <summary>Give the function processes <c>AWS_ENDPOINT_URL</c> = this (no trailing slash).</summary>
    public Uri Endpoint { get; }

    public GatewayCounters Counters { get; } = new();

    /// <param name="moto">moto_server's endpoint: S3, SQS and every service but CloudWatch Logs.</param>
    /// <param name="logs">The CloudWatch Logs front's endpoint.</param>
    /// <param name="options">Function names, state location, signal queue, faults.</param>
    /// <param name="resolveCaller">The environment owning an access key id, or null (not a function's key: relayed without faults).</param>
    public static async Task<AwsGateway> StartAsync(Uri moto, Uri logs, GatewayOptions options, Func<string, GatewayCaller?> resolveCaller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(moto);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolveCaller);
        ct.ThrowIfCancellationRequested();
        var (listener, port) = LocalCloud.LoopbackListener.Start();
        var gateway = new AwsGateway(listener, new Uri($"http://127.0.0.1:{port}"), moto, logs, options, resolveCaller);
        gateway._accepting = Task.Run(gateway.AcceptLoopAsync, CancellationToken.None);
        await Task.Yield();
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Close();
        await _accepting;
        await Task.WhenAll(_inFlight.Keys);
        if (!ReferenceEquals(_faulty, _clean))
        {
            _faulty.Dispose();
        }

        _clean.Dispose();
        _stop.Dispose();
    }

    private static SocketsHttpHandler Upstream() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };


    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var handling = Task.Run(() => HandleAsync(context), CancellationToken.None);
            _inFlight.TryAdd(handling, 0);
            _ = handling.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var aborted = false;
        try
        {
            var body = await ReadBodyAsync(context.Request);
            using var forward = Forward(context.Request, body);
            var request = AwsRequestInfo.Classify(forward, body);
            if (request.Service == "logs")
            {
                forward.RequestUri = Target(_logs, context.Request.RawUrl);
            }

            var caller = request.AccessKeyId is { } key ? _resolveCaller(key) : null;
            if (caller is not null && request.Service == "sqs" && !request.QueryProtocol
                && context.Request.Headers[SqsTraceHeader.HeaderName] is { Length: > 0 } traceHeader)
            {
                // SQS keeps a sender's trace header as the message's AWSTraceHeader; moto does not (SqsTraceHeader).
                var traced = SqsTraceHeader.AddTo(body, request.Operation, traceHeader);
                if (!ReferenceEquals(traced, body) && forward.Content is { } original)
                {
                    var content = new ByteArrayContent(traced);
                    foreach (var (name, values) in original.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                    {
                        content.Headers.TryAddWithoutValidation(name, values);
                    }

                    forward.Content = content;
                    original.Dispose();
                    Counters.Add("sqs.trace-header-kept");
                }
            }
            Counters.Add($"request.{caller?.FunctionName ?? GatewayCounters.UnknownFunction}.{request.Service}.{request.Operation}");
            aborted = caller is null
                ? await RelayUnknownAsync(context, forward, request)
                : await RelayFunctionAsync(context, forward, request, caller);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The caller went away or the gateway is stopping.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A defect of the gateway: answer 500 with the error rather than an empty 200.
            await TryAnswerAsync(response, new GatewayResponse(HttpStatusCode.InternalServerError, "text/plain", Encoding.UTF8.GetBytes($"gateway: {ex.GetType().Name}: {ex.Message}"), []));
        }
        finally
        {
            if (!aborted)
            {
                try
                {
                    response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }
        }
    }

    /// <summary>Relays a request of a key no function owns: no faults, no crash, no authorization. Returns whether the connection was aborted.</summary>
    private async Task<bool> RelayUnknownAsync(HttpListenerContext context, HttpRequestMessage forward, AwsRequestInfo request)
    {
        Counters.Add("unknown-caller");
        return await RelayConditionalAsync(_clean, context, forward, request, afterAnswer: null);
    }

    private async Task<bool> RelayFunctionAsync(HttpListenerContext context, HttpRequestMessage forward, AwsRequestInfo request, GatewayCaller caller)
    {
        var outcome = "relayed";
        try
        {
            var aborted = await RelayFunctionCoreAsync(context, forward, request, caller, o => outcome = o);
            if (aborted && outcome == "relayed")
            {
                outcome = "lost: connection reset after the service acted";
            }

            return aborted;
        }
        finally
        {
            _trace?.Invoke(System.Text.Json.JsonSerializer.Serialize(new { gateway = outcome, env = caller.EnvironmentId, invocation = caller.CurrentRequestId, service = request.Service, operation = request.Operation, attempt = request.Attempt, key = request.Key, at = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }));
        }
    }

    private async Task<bool> RelayFunctionCoreAsync(HttpListenerContext context, HttpRequestMessage forward, AwsRequestInfo request, GatewayCaller caller, Action<string> outcome)
    {
        var point = _rules.Match(caller, request);
        if (point.Before is { } before && Crashes(before))
        {
            // The process dies before its request leaves: nothing reaches the service.
            outcome("killed " + before);
            Kill(caller, before, context);
            return true;
        }

        var decision = _authorizer.Authorize(caller, request);
        if (!decision.Allowed)
        {
            Counters.Add("denied");
            outcome("denied");
            await AnswerAsync(context.Response, AccessDeniedResponses.For(request, decision.Message ?? "Access Denied", decision.ErrorType), request.HttpMethod == "HEAD");
            return false;
        }

        if (ConditionalWriteConflicts.IsConditionalPut(request) && _conflicts.Inject())
        {
            Counters.Add("conflict.injected");
            await AnswerAsync(context.Response, ConditionalWriteConflicts.Response(request), head: false);
            return false;
        }

        return await RelayConditionalAsync(_faulty, context, forward, request, status =>
        {
            outcome("relayed " + (int)status);
            if (point.ReachesAfter(status) && point.After is { } after && Crashes(after))
            {
                outcome("killed " + after);
                // The service acted; the process dies before it hears so.
                Kill(caller, after, context);
                return true;
            }

            return false;
        });
    }

    /// <summary>Relays <paramref name="forward"/> (see <see cref="RelayAsync"/>), unless it is a conditional PutObject racing another of its key: that one is answered 409.</summary>
    private async Task<bool> RelayConditionalAsync(HttpClient client, HttpListenerContext context, HttpRequestMessage forward, AwsRequestInfo request, Func<HttpStatusCode, bool>? afterAnswer)
    {
        if (!ConditionalWriteConflicts.IsConditionalPut(request))
        {
            Counters.Add("relayed");
            return await RelayAsync(client, context, forward, afterAnswer);
        }

        if (!_conflicts.TryBegin(request))
        {
            Counters.Add("conflict.in-flight");
            await AnswerAsync(context.Response, ConditionalWriteConflicts.Response(request), head: false);
            return false;
        }

        try
        {
            Counters.Add("relayed");
            return await RelayAsync(client, context, forward, afterAnswer);
        }
        finally
        {
            _conflicts.End(request);
        }
    }

    private bool Crashes(string step) => _crashes?.Reach(step) ?? false;

    private void Kill(GatewayCaller caller, string step, HttpListenerContext context)
    {
        Counters.Add("killed." + step);
        caller.Kill();
        ConnectionReset.Reset(context);
    }

    /// <summary>Sends <paramref name="forward"/> upstream and relays the answer, unless <paramref name="afterAnswer"/> aborts (returns true). Returns whether the connection was aborted.</summary>
    private async Task<bool> RelayAsync(HttpClient client, HttpListenerContext context, HttpRequestMessage forward, Func<HttpStatusCode, bool>? afterAnswer)
    {
        var response = context.Response;
        HttpResponseMessage answer;
        try
        {
            answer = await client.SendAsync(forward, HttpCompletionOption.ResponseContentRead, _stop.Token);
        }
        catch (InjectedConnectionResetException)
        {
            // A lost response: the service acted, the caller's connection breaks.
            ConnectionReset.Reset(context);
            return true;
        }
        catch (HttpRequestException ex)
        {
            await AnswerAsync(response, new GatewayResponse(HttpStatusCode.BadGateway, "text/plain", Encoding.UTF8.GetBytes($"gateway: {forward.RequestUri} did not answer: {ex.Message}"), []), head: false);
            return false;
        }

        using (answer)
        {
            var payload = await answer.Content.ReadAsByteArrayAsync(_stop.Token);
            if (afterAnswer?.Invoke(answer.StatusCode) == true)
            {
                return true;
            }

            response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } contentType)
            {
                response.ContentType = contentType.ToString();
            }

            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!NotRelayed.Contains(name) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers[name] = string.Join(",", values);
                }
            }

            if (forward.Method == HttpMethod.Head)
            {
                // A HEAD answer announces the length of the body it does not carry.
                response.ContentLength64 = answer.Content.Headers.ContentLength ?? 0;
                return false;
            }

            response.ContentLength64 = payload.Length;
            await response.OutputStream.WriteAsync(payload, _stop.Token);
            return false;
        }
    }

    private HttpRequestMessage Forward(HttpListenerRequest request, byte[] body)
    {
        var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), Target(_moto, request.RawUrl));
        if (body.Length > 0 || request.HasEntityBody || request.Headers["Content-Type"] is not null)
        {
            forward.Content = new ByteArrayContent(body);
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !NotRelayed.Contains(n)))
        {
            var value = request.Headers[name];
            if (!forward.Headers.TryAddWithoutValidation(name, value) && forward.Content is not null)
            {
                forward.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return forward;
    }

    /// <summary>The upstream URI of a request's raw path and query, kept as the caller encoded it.</summary>
    private static Uri Target(Uri upstream, string? rawUrl) =>
        new(upstream.GetLeftPart(UriPartial.Authority) + (string.IsNullOrEmpty(rawUrl) ? "/" : rawUrl), in Verbatim);

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task AnswerAsync(HttpListenerResponse response, GatewayResponse answer, bool head)
    {
        response.StatusCode = (int)answer.Status;
        if (answer.ContentType is not null)
        {
            response.ContentType = answer.ContentType;
        }

        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength64 = head ? 0 : answer.Body.Length;
        if (!head)
        {
            await response.OutputStream.WriteAsync(answer.Body, _stop.Token);
        }
    }

    private async Task TryAnswerAsync(HttpListenerResponse response, GatewayResponse answer)
    {
        try
        {
            await AnswerAsync(response, answer, head: false);
        }
        catch (Exception inner) when (inner is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Headers were already sent: closing the response is all that is left.
        }
    }
}
