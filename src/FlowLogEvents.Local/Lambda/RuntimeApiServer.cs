using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) of one execution environment, on 127.0.0.1 and a free port:
/// <c>GET runtime/invocation/next</c>, <c>POST runtime/invocation/{id}/response</c>,
/// <c>POST runtime/invocation/{id}/error</c>, <c>POST runtime/init/error</c>. Status codes and error documents
/// follow AWS's reference and the runtime interface emulator (202 {"status":"OK"}; 400 InvalidRequestID;
/// 403 InvalidStateTransition; 413 RequestEntityTooLarge; 404 for other paths). What each call means is
/// <see cref="IRuntimeApi"/>'s business. HttpListener, as in <c>CloudWatchLogsFront</c>.
/// </summary>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    private const string Root = "/2018-06-01/runtime/";
    private const string InvocationPrefix = Root + "invocation/";

    private readonly HttpListener _listener;
    private readonly IRuntimeApi _api;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private Task _accepting = Task.CompletedTask;

    private RuntimeApiServer(HttpListener listener, int port, IRuntimeApi api)
    {
        _listener = listener;
        _api = api;
        Address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; }

    public static RuntimeApiServer Start(IRuntimeApi api)
    {
        var (listener, port) = LocalCloud.LoopbackListener.Start();
        var server = new RuntimeApiServer(listener, port, api);
        server._accepting = Task.Run(server.AcceptLoopAsync, CancellationToken.None);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _accepting;
        await Task.WhenAll(_inFlight.Keys);
        _stop.Dispose();
    }


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
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath ?? string.Empty;
            var method = request.HttpMethod;
            if (method == "GET" && path == InvocationPrefix + "next")
            {
                await NextAsync(response);
            }
            else if (method == "POST" && path == Root + "init/error")
            {
                var (body, _) = await ReadBodyAsync(request, LambdaLimits.MaxResponseBytes);
                await AnswerAsync(response, _api.FailInit(request.Headers["Lambda-Runtime-Function-Error-Type"], body ?? []));
                response.Close();
                _api.InitErrorAnswered();
            }
            else if (method == "POST" && InvocationResource(path) is ({ } requestId, "response"))
            {
                var (body, size) = await ReadBodyAsync(request, LambdaLimits.MaxResponseBytes);
                await AnswerAsync(response, body is null ? _api.RespondTooLarge(requestId, size) : _api.Respond(requestId, body));
            }
            else if (method == "POST" && InvocationResource(path) is ({ } failedId, "error"))
            {
                var (body, _) = await ReadBodyAsync(request, LambdaLimits.MaxResponseBytes);
                await AnswerAsync(response, _api.Fail(failedId, request.Headers["Lambda-Runtime-Function-Error-Type"], body ?? []));
            }
            else
            {
                await AnswerAsync(response, HttpStatusCode.NotFound);
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The runtime went away (its process was killed) or the server is stopping.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A defect of the emulator: answer 500 with it rather than an empty 200.
            await TryAnswerInternalFailureAsync(response, ex);
        }
        finally
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

    private async Task NextAsync(HttpListenerResponse response)
    {
        var delivery = await _api.NextAsync(_stop.Token);
        if (delivery is null)
        {
            await AnswerAsync(response, HttpStatusCode.Forbidden);
            return;
        }

        response.StatusCode = (int)HttpStatusCode.OK;
        response.ContentType = "application/json";
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = delivery.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = delivery.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = delivery.InvokedFunctionArn;
        if (delivery.TraceId is not null)
        {
            response.Headers["Lambda-Runtime-Trace-Id"] = delivery.TraceId;
        }

        response.ContentLength64 = delivery.Payload.Length;
        await response.OutputStream.WriteAsync(delivery.Payload, _stop.Token);
    }

    /// <summary>(id, "response" | "error") for <c>invocation/{id}/response</c> and <c>invocation/{id}/error</c>.</summary>
    private static (string? RequestId, string? Kind) InvocationResource(string path)
    {
        if (!path.StartsWith(InvocationPrefix, StringComparison.Ordinal))
        {
            return (null, null);
        }

        var parts = path[InvocationPrefix.Length..].Split('/');
        return parts.Length == 2 && parts[0].Length > 0 ? (Uri.UnescapeDataString(parts[0]), parts[1]) : (null, null);
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>; the rest is read and counted all the same.</summary>
    private async Task<(byte[]? Body, long Size)> ReadBodyAsync(HttpListenerRequest request, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long size = 0;
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk, _stop.Token)) > 0)
        {
            if (size + read <= limit)
            {
                buffer.Write(chunk, 0, read);
            }

            size += read;
        }

        return (size <= limit ? buffer.ToArray() : null, size);
    }

    private async Task AnswerAsync(HttpListenerResponse response, HttpStatusCode status)
    {
        var document = status switch
        {
            HttpStatusCode.Accepted => Document(("status", "OK")),
            HttpStatusCode.BadRequest => Error("InvalidRequestID", "Invalid request ID"),
            HttpStatusCode.Forbidden => Error("InvalidStateTransition", "State transition is not allowed: an invocation is already delivered and not answered"),
            HttpStatusCode.RequestEntityTooLarge => Error("RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({LambdaLimits.MaxResponseBytes} bytes)."),
            _ => Error("NotFound", "Not found"),
        };
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        response.ContentLength64 = document.Length;
        await response.OutputStream.WriteAsync(document, _stop.Token);
    }

    private static async Task TryAnswerInternalFailureAsync(HttpListenerResponse response, Exception ex)
    {
        try
        {
            var document = Error("InternalServerError", $"{ex.GetType().Name}: {ex.Message}");
            response.StatusCode = (int)HttpStatusCode.InternalServerError;
            response.ContentType = "application/json";
            response.ContentLength64 = document.Length;
            await response.OutputStream.WriteAsync(document);
        }
        catch (Exception inner) when (inner is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Headers were already sent: closing the response is all that is left.
        }
    }

    private static byte[] Error(string errorType, string errorMessage) => Document(("errorMessage", errorMessage), ("errorType", errorType));

    /// <summary>A flat JSON object of strings, written without reflection (hosts may disable reflection-based serialization).</summary>
    private static byte[] Document(params (string Name, string Value)[] members)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in members)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
