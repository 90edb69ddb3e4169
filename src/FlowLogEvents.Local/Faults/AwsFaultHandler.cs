using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FlowLogEvents.Local.Faults;

/// <summary>
/// Sits under an AWS SDK client (through <see cref="FaultyHttpClientFactory"/>) and, at seeded rates,
/// answers a request itself with the error a busy service sends in that service's wire format, so the
/// SDK's own retry policy deals with it (and gives up after its retries, surfacing an exception); or
/// forwards the request, lets the service act, and loses the response (a 5xx or a broken connection),
/// the nastiest case for non-idempotent calls such as CreateExportTask, SendMessage and PutObject.
/// </summary>
public sealed class AwsFaultHandler : DelegatingHandler
{
    private readonly FaultOptions _options;
    private readonly FaultCounters _counters;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public AwsFaultHandler(FaultOptions options, FaultCounters counters, int seed)
        : this(options, counters, seed, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
    }

    internal AwsFaultHandler(FaultOptions options, FaultCounters counters, int seed, HttpMessageHandler inner)
        : base(inner)
    {
        _options = options;
        _counters = counters;
#pragma warning disable CA5394 // Reproducible fault schedules, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>The service and operation of an AWS request, from its wire shape.</summary>
    public static (string Service, string Operation) Classify(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target)
        {
            var dot = target.LastIndexOf('.');
            var operation = dot < 0 ? target : target[(dot + 1)..];
            return target.StartsWith("Logs_", StringComparison.Ordinal) ? ("logs", operation)
                : target.StartsWith("AmazonSQS", StringComparison.Ordinal) ? ("sqs", operation)
                : ("other", operation);
        }

        // S3 is REST: the method (and a conditional header) say enough for the counters.
        var op = request.Method.Method switch
        {
            "GET" => "GetObject",
            "PUT" => "PutObject",
            "HEAD" => "HeadObject",
            "DELETE" => "DeleteObject",
            var m => m,
        };
        return ("s3", op);
    }

    /// <summary>The error a service answers when it sheds load, in its protocol: (status, content type, body).</summary>
    public static (HttpStatusCode Status, string ContentType, string Body, string? QueryError) Error(string service, bool throttle)
    {
        var requestId = Guid.NewGuid().ToString();
        return (service, throttle) switch
        {
            ("s3", true) => (HttpStatusCode.ServiceUnavailable, "application/xml", S3Error("SlowDown", "Please reduce your request rate.", requestId), null),
            ("s3", false) => (HttpStatusCode.InternalServerError, "application/xml", S3Error("InternalError", "We encountered an internal error. Please try again.", requestId), null),
            ("sqs", true) => (HttpStatusCode.BadRequest, "application/x-amz-json-1.0", JsonError("com.amazonaws.sqs#ThrottlingException", "Rate exceeded"), "ThrottlingException;Sender"),
            ("sqs", false) => (HttpStatusCode.ServiceUnavailable, "application/x-amz-json-1.0", JsonError("com.amazonaws.sqs#ServiceUnavailable", "The request has failed due to a temporary failure of the server."), "ServiceUnavailable;Receiver"),
            (_, true) => (HttpStatusCode.BadRequest, "application/x-amz-json-1.1", JsonError("ThrottlingException", "Rate exceeded"), null),
            _ => (HttpStatusCode.ServiceUnavailable, "application/x-amz-json-1.1", JsonError("ServiceUnavailableException", "The service is unavailable. Please try again later."), null),
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (service, operation) = Classify(request);
        if (request.Headers.TryGetValues("amz-sdk-request", out var attempts) && attempts.FirstOrDefault() is { } attempt
            && !attempt.Contains("attempt=1;", StringComparison.Ordinal) && !attempt.EndsWith("attempt=1", StringComparison.Ordinal))
        {
            _counters.Add($"aws.retry.{service}.{operation}");
        }

        double draw;
        bool flip;
        lock (_gate)
        {
#pragma warning disable CA5394
            draw = _random.NextDouble();
            flip = _random.Next(2) == 0;
#pragma warning restore CA5394
        }

        if (draw < _options.AwsErrorRate)
        {
            _counters.Add($"aws.error.{service}.{operation}");
            return Answer(request, service, throttle: flip);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (draw < _options.AwsErrorRate + _options.LostResponseRate)
        {
            // The service did it; the caller never hears so.
            _counters.Add($"aws.lost.{service}.{operation}");
            response.Dispose();
            if (flip)
            {
                throw new InjectedConnectionResetException();
            }

            return Answer(request, service, throttle: false);
        }

        return response;
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, string service, bool throttle)
    {
        var (status, contentType, body, queryError) = Error(service, throttle);
        var response = new HttpResponseMessage(status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", Guid.NewGuid().ToString());
        if (queryError is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-query-error", queryError);
        }

        return response;
    }

    private static string S3Error(string code, string message, string requestId) =>
        string.Create(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{requestId}</RequestId><HostId>injected</HostId></Error>");

    private static string JsonError(string type, string message) =>
        $$"""{"__type":"{{type}}","message":"{{message}}"}""";
}
