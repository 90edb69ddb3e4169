using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FlowLogEvents.Runtime;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) at <c>http://{AWS_LAMBDA_RUNTIME_API}/2018-06-01/</c>, as AWS documents
/// it in "Using the Lambda runtime API for custom runtimes". Every non-2xx answer is a <see cref="RuntimeApiException"/>.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    public const string ApiVersion = "2018-06-01";
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ClientContextHeader = "Lambda-Runtime-Client-Context";
    public const string CognitoIdentityHeader = "Lambda-Runtime-Cognito-Identity";
    public const string FunctionErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;

    /// <param name="runtimeApi">The value of <c>AWS_LAMBDA_RUNTIME_API</c>, host and port.</param>
    /// <param name="handler">The transport; tests pass a fake. By default a direct connection (no proxy: the API is local).</param>
    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }, disposeHandler: true)
        {
            BaseAddress = new Uri($"http://{runtimeApi}/{ApiVersion}/"),
            // GET next is a long poll, and the process may be frozen between invocations: no timeout, as AWS says.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>GET runtime/invocation/next</c>: waits for the next event.</summary>
    /// <exception cref="InvocationHeaderException">The request id or the deadline is missing or unreadable.</exception>
    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken ct)
    {
        const string operation = "GET runtime/invocation/next";
        using var response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), ct).ConfigureAwait(false);
        await EnsureSuccessAsync(operation, response, ct).ConfigureAwait(false);
        var payload = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var headers = response.Headers;
        var requestId = Header(headers, RequestIdHeader) ?? throw new InvocationHeaderException(RequestIdHeader, "is missing");
        var deadlineText = Header(headers, DeadlineHeader) ?? throw new InvocationHeaderException(DeadlineHeader, "is missing");
        if (!long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
            || deadlineMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new InvocationHeaderException(DeadlineHeader, $"is not Unix epoch milliseconds: '{deadlineText}'");
        }

        return new LambdaInvocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(headers, FunctionArnHeader),
            Header(headers, TraceIdHeader),
            Header(headers, ClientContextHeader),
            Header(headers, CognitoIdentityHeader),
            payload);
    }

    /// <summary><c>POST runtime/invocation/{requestId}/response</c>: the function's result, sent as it is.</summary>
    public async Task PostResponseAsync(string requestId, Stream body, CancellationToken ct)
    {
        using var content = new StreamContent(body);
        await PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, errorType: null, ct).ConfigureAwait(false);
    }

    /// <summary><c>POST runtime/invocation/{requestId}/error</c>: the invocation failed.</summary>
    public Task PostErrorAsync(string requestId, LambdaError error, CancellationToken ct) =>
        SendErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, ct);

    /// <summary><c>POST runtime/init/error</c>: the function could not be initialised; the runtime exits next.</summary>
    public Task PostInitErrorAsync(LambdaError error, CancellationToken ct) => SendErrorAsync("runtime/init/error", error, ct);

    public void Dispose() => _http.Dispose();

    private async Task SendErrorAsync(string path, LambdaError error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.LambdaError));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await PostAsync(path, content, error.ErrorType, ct).ConfigureAwait(false);
    }

    private async Task PostAsync(string path, HttpContent content, string? errorType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(FunctionErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        await EnsureSuccessAsync($"POST {path}", response, ct).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(string operation, HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new RuntimeApiException(operation, response.StatusCode, body);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value ? value : null;
}
