using System.Net;
using FlowLogEvents.Runtime;

namespace FlowLogEvents.Tests.Runtime;

public sealed class RuntimeApiClientTests : IDisposable
{
    private const string RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
    private const string TraceId = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";

    private readonly FakeRuntimeApi _api = new();
    private readonly RuntimeApiClient _client;

    public RuntimeApiClientTests() => _client = _api.NewClient();

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> AllHeaders() => new()
    {
        [RuntimeApiClient.RequestIdHeader] = RequestId,
        [RuntimeApiClient.DeadlineHeader] = "1542409706888",
        [RuntimeApiClient.FunctionArnHeader] = "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
        [RuntimeApiClient.TraceIdHeader] = TraceId,
        [RuntimeApiClient.ClientContextHeader] = "eyJjbGllbnQiOnt9fQ==",
        [RuntimeApiClient.CognitoIdentityHeader] = """{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}""",
    };

    [Fact]
    public void Constructor_RuntimeApiHost_BaseAddressIsTheVersionedApi()
    {
        Assert.Equal(new Uri("http://127.0.0.1:9001/2018-06-01/"), _client.BaseAddress);
    }

    [Fact]
    public async Task GetNextInvocationAsync_AllHeaders_ReturnsEveryHeaderAndThePayload()
    {
        _api.Enqueue(AllHeaders(), """{"Records":[]}""");

        var invocation = await _client.GetNextInvocationAsync(CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", request.Url);
        Assert.Equal(RequestId, invocation.RequestId);
        Assert.Equal(new DateTimeOffset(2018, 11, 16, 23, 8, 26, 888, TimeSpan.Zero), invocation.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-2:123456789012:function:custom-runtime", invocation.InvokedFunctionArn);
        Assert.Equal(TraceId, invocation.TraceId);
        Assert.Equal("eyJjbGllbnQiOnt9fQ==", invocation.ClientContext);
        Assert.Equal("""{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}""", invocation.CognitoIdentity);
        Assert.Equal("""{"Records":[]}"""u8.ToArray(), invocation.Payload.ToArray());
    }

    [Fact]
    public async Task GetNextInvocationAsync_OnlyRequiredHeaders_OptionalOnesAreNull()
    {
        var headers = AllHeaders();
        headers.Remove(RuntimeApiClient.FunctionArnHeader);
        headers.Remove(RuntimeApiClient.TraceIdHeader);
        headers.Remove(RuntimeApiClient.ClientContextHeader);
        headers.Remove(RuntimeApiClient.CognitoIdentityHeader);
        _api.Enqueue(headers, "{}");

        var invocation = await _client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Null(invocation.InvokedFunctionArn);
        Assert.Null(invocation.TraceId);
        Assert.Null(invocation.ClientContext);
        Assert.Null(invocation.CognitoIdentity);
    }

    [Theory]
    [InlineData(RuntimeApiClient.RequestIdHeader, "next invocation: header Lambda-Runtime-Aws-Request-Id is missing")]
    [InlineData(RuntimeApiClient.DeadlineHeader, "next invocation: header Lambda-Runtime-Deadline-Ms is missing")]
    public async Task GetNextInvocationAsync_RequiredHeaderMissing_ThrowsNamingTheHeader(string header, string message)
    {
        var headers = AllHeaders();
        headers.Remove(header);
        _api.Enqueue(headers, "{}");

        var ex = await Assert.ThrowsAsync<InvocationHeaderException>(() => _client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Equal(header, ex.Header);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("1542409706888.5")]
    [InlineData("99999999999999999999")]
    public async Task GetNextInvocationAsync_DeadlineNotEpochMillis_ThrowsNamingTheHeader(string deadline)
    {
        var headers = AllHeaders();
        headers[RuntimeApiClient.DeadlineHeader] = deadline;
        _api.Enqueue(headers, "{}");

        var ex = await Assert.ThrowsAsync<InvocationHeaderException>(() => _client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Equal($"next invocation: header Lambda-Runtime-Deadline-Ms is not Unix epoch milliseconds: '{deadline}'", ex.Message);
    }

    [Fact]
    public async Task GetNextInvocationAsync_Status500_ThrowsNonRecoverable()
    {
        var ex = await Assert.ThrowsAsync<RuntimeApiException>(() => _client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Status);
        Assert.True(ex.IsNonRecoverable);
        Assert.Equal("GET runtime/invocation/next", ex.Operation);
        Assert.Equal(
            """Runtime API GET runtime/invocation/next answered 500 InternalServerError: {"errorMessage":"State transition failed","errorType":"InvalidStateTransition"}""",
            ex.Message);
    }

    [Fact]
    public async Task PostResponseAsync_Body_PostsItUnchangedWithoutErrorType()
    {
        using var body = new MemoryStream("""{"batchItemFailures":[]}"""u8.ToArray());

        await _client.PostResponseAsync(RequestId, body, CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"http://127.0.0.1:9001/2018-06-01/runtime/invocation/{RequestId}/response", request.Url);
        Assert.Equal("""{"batchItemFailures":[]}""", request.Body);
        Assert.False(request.Headers.ContainsKey(RuntimeApiClient.FunctionErrorTypeHeader));
    }

    [Fact]
    public async Task PostResponseAsync_RequestIdWithReservedCharacters_EscapesItInThePath()
    {
        await _client.PostResponseAsync("a/b?c", Stream.Null, CancellationToken.None);

        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/invocation/a%2Fb%3Fc/response", Assert.Single(_api.Requests).Url);
    }

    [Fact]
    public async Task PostErrorAsync_Error_PostsJsonBodyAndErrorTypeHeader()
    {
        var error = new LambdaError("Error parsing event data.", "InvalidDataException", ["at A.B()", "at C.D()"]);

        await _client.PostErrorAsync(RequestId, error, CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"http://127.0.0.1:9001/2018-06-01/runtime/invocation/{RequestId}/error", request.Url);
        Assert.Equal("InvalidDataException", request.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"errorMessage":"Error parsing event data.","errorType":"InvalidDataException","stackTrace":["at A.B()","at C.D()"]}""", request.Body);
    }

    [Fact]
    public async Task PostInitErrorAsync_Error_PostsJsonBodyAndErrorTypeHeaderToInitError()
    {
        var error = new LambdaError("environment variable SIGNAL_QUEUE_URL is required but not set", "ConfigurationException", []);

        await _client.PostInitErrorAsync(error, CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/init/error", request.Url);
        Assert.Equal("ConfigurationException", request.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"errorMessage":"environment variable SIGNAL_QUEUE_URL is required but not set","errorType":"ConfigurationException","stackTrace":[]}""", request.Body);
    }

    [Fact]
    public async Task PostResponseAsync_Status413_ThrowsRecoverableWithTheAnswer()
    {
        _api.PostStatus["/response"] = HttpStatusCode.RequestEntityTooLarge;

        var ex = await Assert.ThrowsAsync<RuntimeApiException>(() => _client.PostResponseAsync(RequestId, Stream.Null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
        Assert.False(ex.IsNonRecoverable);
        Assert.Equal($$"""Runtime API POST runtime/invocation/{{RequestId}}/response answered 413 RequestEntityTooLarge: {"errorMessage":"refused","errorType":"Test"}""", ex.Message);
    }

    [Fact]
    public async Task PostErrorAsync_Status500_ThrowsNonRecoverable()
    {
        _api.PostStatus["/error"] = HttpStatusCode.InternalServerError;

        var ex = await Assert.ThrowsAsync<RuntimeApiException>(() => _client.PostErrorAsync(RequestId, new LambdaError("m", "T", []), CancellationToken.None));

        Assert.True(ex.IsNonRecoverable);
        Assert.Equal($"POST runtime/invocation/{RequestId}/error", ex.Operation);
    }

    [Fact]
    public void LambdaErrorFrom_ThrownException_TypeNameMessageAndTrimmedStackLines()
    {
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("queue unreachable");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var error = LambdaError.From(thrown);

        Assert.Equal("InvalidOperationException", error.ErrorType);
        Assert.Equal("queue unreachable", error.ErrorMessage);
        var line = Assert.Single(error.StackTrace);
        Assert.StartsWith("at FlowLogEvents.Tests.Runtime.RuntimeApiClientTests.LambdaErrorFrom_ThrownException_TypeNameMessageAndTrimmedStackLines()", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LambdaErrorFrom_NeverThrownException_EmptyStackTrace()
    {
        var error = LambdaError.From(new TimeoutException("late"));

        Assert.Equal(new LambdaError("late", "TimeoutException", []).ErrorType, error.ErrorType);
        Assert.Empty(error.StackTrace);
    }
}
