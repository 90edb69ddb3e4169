using System.Globalization;
using System.Net;
using System.Text;
using FlowLogEvents.Runtime;

namespace FlowLogEvents.Tests.Runtime;

/// <summary>One request as the fake Runtime API received it.</summary>
public sealed record RuntimeApiRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);

/// <summary>
/// The Lambda Runtime API as a message handler: <c>next</c> hands out the queued invocations, then answers 500
/// (as Lambda does when the environment is done), so a bootstrap loop under test ends. Posts answer 202 unless told otherwise.
/// </summary>
public sealed class FakeRuntimeApi : HttpMessageHandler
{
    public const string Host = "127.0.0.1:9001";
    public const string Base = "http://127.0.0.1:9001/2018-06-01/";

    private readonly Queue<Func<HttpResponseMessage>> _next = new();
    private readonly List<RuntimeApiRequest> _requests = [];

    public IReadOnlyList<RuntimeApiRequest> Requests => _requests;

    /// <summary>Status of every POST whose URL ends with the key (e.g. "/response").</summary>
    public Dictionary<string, HttpStatusCode> PostStatus { get; } = new(StringComparer.Ordinal);

    public RuntimeApiClient NewClient() => new(Host, this);

    public void Enqueue(string requestId, DateTimeOffset deadline, string payload, string? traceId = null)
    {
        var headers = new Dictionary<string, string>
        {
            [RuntimeApiClient.RequestIdHeader] = requestId,
            [RuntimeApiClient.DeadlineHeader] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            [RuntimeApiClient.FunctionArnHeader] = "arn:aws:lambda:eu-west-1:123456789012:function:flowlogevents-export",
        };
        if (traceId is not null)
        {
            headers[RuntimeApiClient.TraceIdHeader] = traceId;
        }

        Enqueue(headers, payload);
    }

    public void Enqueue(IReadOnlyDictionary<string, string> headers, string payload) => _next.Enqueue(() =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    });

    public IReadOnlyList<string> Urls() => _requests.Select(r => $"{r.Method} {r.Url}").ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var url = request.RequestUri!.AbsoluteUri;
        _requests.Add(new RuntimeApiRequest(
            request.Method.Method,
            url,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body));

        if (request.Method == HttpMethod.Get && url == Base + "runtime/invocation/next")
        {
            return _next.TryDequeue(out var next)
                ? next()
                : new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("""{"errorMessage":"State transition failed","errorType":"InvalidStateTransition"}""") };
        }

        var status = PostStatus.FirstOrDefault(p => url.EndsWith(p.Key, StringComparison.Ordinal)).Value;
        return new HttpResponseMessage(status == default ? HttpStatusCode.Accepted : status)
        {
            Content = new StringContent(status == default ? """{"status":"OK"}""" : """{"errorMessage":"refused","errorType":"Test"}"""),
        };
    }
}
