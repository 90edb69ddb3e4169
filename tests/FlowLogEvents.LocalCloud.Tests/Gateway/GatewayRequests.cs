using System.Net;
using System.Text;
using Amazon.Runtime;
using FlowLogEvents.Local.Gateway;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>Requests shaped as the SDKs send them through <c>AWS_ENDPOINT_URL=http://127.0.0.1:&lt;port&gt;</c>.</summary>
internal static class GatewayRequests
{
    public const string Endpoint = "http://127.0.0.1:4566";
    public const string StateBucket = "flow-state";
    public const string StatePrefix = "checkpoints";
    public const string SignalQueueUrl = "http://127.0.0.1:5000/123456789012/signals.fifo";
    public const string SignalFunction = "SignalFunction";
    public const string ExportFunction = "ExportFunction";

    public static GatewayOptions Options(IRequestAuthorizer? authorizer = null) => new()
    {
        SignalFunctionName = SignalFunction,
        ExportFunctionName = ExportFunction,
        StateBucket = StateBucket,
        StatePrefix = StatePrefix,
        SignalQueueUrl = new Uri(SignalQueueUrl),
        Authorizer = authorizer ?? AllowAllAuthorizer.Instance,
    };

    /// <summary>The checkpoint key of a log group, as S3CheckpointStore names it.</summary>
    public static string CheckpointKey(string logGroup) => $"{StatePrefix}/{Uri.EscapeDataString(logGroup)}.json";

    public static string Authorization(string accessKeyId, string service) =>
        $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20261126/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>An S3 REST request, path style; <paramref name="encodedKey"/> percent-encoded as on the wire.</summary>
    public static HttpRequestMessage S3(HttpMethod method, string bucket, string? encodedKey, string accessKeyId = "AKIDEXPORT", string query = "", byte[]? body = null)
    {
        var request = new HttpRequestMessage(method, $"{Endpoint}/{bucket}{(encodedKey is null ? string.Empty : "/" + encodedKey)}{query}");
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(accessKeyId, "s3"));
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        request.Headers.TryAddWithoutValidation("x-amz-date", "20261126T145925Z");
        request.Headers.TryAddWithoutValidation("amz-sdk-request", "attempt=1; max=3");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        return request;
    }

    /// <summary>A checkpoint key percent-encoded once more for the request path (as the S3 SDK does).</summary>
    public static string OnTheWire(string key) => string.Join("/", key.Split('/').Select(Uri.EscapeDataString));

    public static (HttpRequestMessage Request, byte[] Body) SqsJson(string operation, string queueUrl, string accessKeyId = "AKIDSIGNAL", int attempt = 1)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"MessageBody":"{\"logGroup\":\"/vpc/flow\"}","MessageDeduplicationId":"d1","MessageGroupId":"signals","QueueUrl":"{{queueUrl}}"}""");
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(accessKeyId, "sqs"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS." + operation);
        request.Headers.TryAddWithoutValidation("x-amzn-query-mode", "true");
        request.Headers.TryAddWithoutValidation("amz-sdk-request", $"attempt={attempt}; max=3");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        return (request, body);
    }

    public static (HttpRequestMessage Request, byte[] Body) Logs(string operation, string json, string accessKeyId = "AKIDEXPORT")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(accessKeyId, "logs"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328." + operation);
        request.Headers.TryAddWithoutValidation("amz-sdk-request", "attempt=1; max=3");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        return (request, body);
    }

    public static AwsRequestInfo Classify(HttpRequestMessage request, byte[]? body = null) => AwsRequestInfo.Classify(request, body ?? []);
}

/// <summary>Gives SDK clients an <see cref="HttpClient"/> over a test handler.</summary>
internal sealed class StubHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new(handler, disposeHandler: false);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => _client.Dispose();
}

/// <summary>Records the SDK's requests (with their bodies) and answers each with <see cref="Answer"/>.</summary>
internal sealed class CapturingHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; } = answer;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        var response = Answer(request);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Ok(string body, string contentType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return response;
    }
}
