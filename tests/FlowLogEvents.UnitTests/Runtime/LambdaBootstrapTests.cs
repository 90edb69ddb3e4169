using System.Net;
using System.Text;
using FlowLogEvents.Configuration;
using FlowLogEvents.Runtime;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Runtime;

/// <summary>The loop against a fake Runtime API; serial because it sets the process-wide _X_AMZN_TRACE_ID.</summary>
[Collection(SerialEnvironment.Name)]
public sealed class LambdaBootstrapTests : IDisposable
{
    private const string Handler = "Test::Echo";
    private const string Next = "GET http://127.0.0.1:9001/2018-06-01/runtime/invocation/next";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeRuntimeApi _api = new();
    private readonly RuntimeApiClient _client;
    private readonly SteppingTimeProvider _time = new(Now);
    private readonly StringWriter _log = new();
    private readonly EnvironmentScope _environment = new(new() { [LambdaBootstrap.TraceIdVariable] = null });

    public LambdaBootstrapTests() => _client = _api.NewClient();

    public void Dispose()
    {
        _client.Dispose();
        _log.Dispose();
        _environment.Dispose();
    }

    private static Dictionary<string, Func<LambdaHandler>> Table(LambdaHandler handler) => new(StringComparer.Ordinal) { [Handler] = () => handler };

    private Task<int> RunAsync(LambdaHandler handler, string? handlerName = Handler) =>
        new LambdaBootstrap(_client, _time, _log).RunAsync(Table(handler), handlerName, CancellationToken.None);

    private static async Task<Stream> Echo(Stream input, CancellationToken ct)
    {
        var copy = new MemoryStream();
        await input.CopyToAsync(copy, ct);
        copy.Position = 0;
        return copy;
    }

    [Fact]
    public async Task RunAsync_TwoInvocations_PostsEachResponseThenExitsWhenNextAnswers500()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), """{"n":1}""");
        _api.Enqueue("req-2", Now.AddSeconds(30), """{"n":2}""");

        var exit = await RunAsync(Echo);

        Assert.Equal(LambdaBootstrap.ExitRuntimeApiFailed, exit);
        Assert.Equal(
            [
                Next,
                "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/response",
                Next,
                "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-2/response",
                Next,
            ],
            _api.Urls());
        Assert.Equal("""{"n":1}""", _api.Requests[1].Body);
        Assert.Equal("""{"n":2}""", _api.Requests[3].Body);
        Assert.Contains("bootstrap: exiting: RuntimeApiException: Runtime API GET runtime/invocation/next answered 500", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TraceHeader_SetsTraceIdVariablePerInvocationAndClearsItWhenAbsent()
    {
        const string trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
        _api.Enqueue("req-1", Now.AddSeconds(30), "{}", traceId: trace);
        _api.Enqueue("req-2", Now.AddSeconds(30), "{}");
        _api.Enqueue("req-3", Now.AddSeconds(30), "{}", traceId: "Root=1-00000000-000000000000000000000003");
        var seen = new List<string?>();

        await RunAsync((input, ct) =>
        {
            seen.Add(Environment.GetEnvironmentVariable(LambdaBootstrap.TraceIdVariable));
            return Task.FromResult(Stream.Null);
        });

        Assert.Equal([trace, null, "Root=1-00000000-000000000000000000000003"], seen);
    }

    [Fact]
    public async Task RunAsync_DeadlineNear_HandlersTokenFiresAtDeadlineMinusMargin()
    {
        _api.Enqueue("req-1", Now.AddSeconds(10), "{}");
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = RunAsync(async (input, ct) =>
        {
            started.SetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
            return Stream.Null;
        });
        var token = await started.Task;

        _time.Advance(TimeSpan.FromSeconds(10) - LambdaBootstrap.DeadlineMargin - TimeSpan.FromMilliseconds(1));
        Assert.False(token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(token.IsCancellationRequested);

        Assert.Equal(LambdaBootstrap.ExitRuntimeApiFailed, await loop);
        var error = _api.Requests[1];
        Assert.Equal("POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/error", $"{error.Method} {error.Url}");
        Assert.Equal("TaskCanceledException", error.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public async Task RunAsync_DeadlineAlreadyWithinTheMargin_TokenIsCancelledFromTheStart()
    {
        _api.Enqueue("req-1", Now.AddMilliseconds(100), "{}");
        bool? cancelled = null;

        await RunAsync((input, ct) =>
        {
            cancelled = ct.IsCancellationRequested;
            return Task.FromResult(Stream.Null);
        });

        Assert.True(cancelled);
    }

    [Theory]
    [InlineData(10_000, 8_000)]
    [InlineData(2_001, 1)]
    [InlineData(2_000, 0)]
    [InlineData(-5_000, 0)]
    [InlineData(3_600_000, 900_000)]
    public void Budget_Deadline_IsDeadlineMinusMarginClampedToLambdasLimits(long deadlineInMs, long expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), LambdaBootstrap.Budget(Now.AddMilliseconds(deadlineInMs), Now));
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_PostsErrorWithItsTypeAndMessageAndGoesOn()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), "{}");
        _api.Enqueue("req-2", Now.AddSeconds(30), "{}");
        var calls = 0;

        await RunAsync((input, ct) => ++calls == 1
            ? throw new InvalidDataException("SQS event has no Records array")
            : Task.FromResult<Stream>(new MemoryStream("ok"u8.ToArray())));

        Assert.Equal(
            [
                Next,
                "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/error",
                Next,
                "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-2/response",
                Next,
            ],
            _api.Urls());
        var error = _api.Requests[1];
        Assert.Equal("InvalidDataException", error.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.StartsWith("""{"errorMessage":"SQS event has no Records array","errorType":"InvalidDataException","stackTrace":["at """, error.Body, StringComparison.Ordinal);
        Assert.Equal("ok", _api.Requests[3].Body);
        Assert.Contains("bootstrap: invocation req-1 failed: System.IO.InvalidDataException: SQS event has no Records array", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConstructorThrows_PostsInitErrorAndExitsWithoutPolling()
    {
        var handlers = new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal)
        {
            [Handler] = () => throw new ConfigurationException("environment variable SIGNAL_QUEUE_URL is required but not set"),
        };

        var exit = await new LambdaBootstrap(_client, _time, _log).RunAsync(handlers, Handler, CancellationToken.None);

        Assert.Equal(LambdaBootstrap.ExitInitFailed, exit);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("POST http://127.0.0.1:9001/2018-06-01/runtime/init/error", $"{request.Method} {request.Url}");
        Assert.Equal("ConfigurationException", request.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.StartsWith("""{"errorMessage":"environment variable SIGNAL_QUEUE_URL is required but not set","errorType":"ConfigurationException","stackTrace":["at """, request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownHandler_PostsInitErrorNamingItAndTheKnownOnes()
    {
        var exit = await RunAsync(Echo, "FlowLogEvents::FlowLogEvents.Functions.Nope::HandleAsync");

        Assert.Equal(LambdaBootstrap.ExitInitFailed, exit);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/init/error", request.Url);
        Assert.Equal("Runtime.NoSuchHandler", request.Headers[RuntimeApiClient.FunctionErrorTypeHeader]);
        Assert.Equal(
            """{"errorMessage":"handler \u0027FlowLogEvents::FlowLogEvents.Functions.Nope::HandleAsync\u0027 is unknown; known handlers: Test::Echo","errorType":"Runtime.NoSuchHandler","stackTrace":[]}""",
            request.Body);
    }

    [Fact]
    public async Task RunAsync_NoHandlerSetting_PostsInitErrorNamingTheVariable()
    {
        var exit = await RunAsync(Echo, handlerName: null);

        Assert.Equal(LambdaBootstrap.ExitInitFailed, exit);
        var request = Assert.Single(_api.Requests);
        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/init/error", request.Url);
        Assert.Equal(
            """{"errorMessage":"environment variable _HANDLER is not set; known handlers: Test::Echo","errorType":"Runtime.NoSuchHandler","stackTrace":[]}""",
            request.Body);
    }

    [Fact]
    public async Task RunAsync_ResponsePostAnswers500_ExitsWithoutAskingForMore()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), "{}");
        _api.Enqueue("req-2", Now.AddSeconds(30), "{}");
        _api.PostStatus["/response"] = HttpStatusCode.InternalServerError;

        var exit = await RunAsync(Echo);

        Assert.Equal(LambdaBootstrap.ExitRuntimeApiFailed, exit);
        Assert.Equal([Next, "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/response"], _api.Urls());
    }

    [Fact]
    public async Task RunAsync_ErrorPostAnswers500_Exits()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), "{}");
        _api.Enqueue("req-2", Now.AddSeconds(30), "{}");
        _api.PostStatus["/error"] = HttpStatusCode.InternalServerError;

        var exit = await RunAsync((input, ct) => throw new IOException("boom"));

        Assert.Equal(LambdaBootstrap.ExitRuntimeApiFailed, exit);
        Assert.Equal([Next, "POST http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/error"], _api.Urls());
    }

    [Fact]
    public async Task RunAsync_ResponsePostAnswers413_LogsAndGoesOnToTheNextInvocation()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), "{}");
        _api.Enqueue("req-2", Now.AddSeconds(30), "{}");
        _api.PostStatus["/req-1/response"] = HttpStatusCode.RequestEntityTooLarge;

        await RunAsync(Echo);

        Assert.Equal(5, _api.Requests.Count);
        Assert.Equal("http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-2/response", _api.Requests[3].Url);
        Assert.Contains("answered 413 RequestEntityTooLarge", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NextWithoutRequestId_Exits()
    {
        _api.Enqueue(new Dictionary<string, string> { [RuntimeApiClient.DeadlineHeader] = "1542409706888" }, "{}");

        var exit = await RunAsync(Echo);

        Assert.Equal(LambdaBootstrap.ExitRuntimeApiFailed, exit);
        Assert.Equal([Next], _api.Urls());
        Assert.Contains("InvocationHeaderException: next invocation: header Lambda-Runtime-Aws-Request-Id is missing", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallersTokenCancelled_StopsBeforePolling()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var exit = await new LambdaBootstrap(_client, _time, _log).RunAsync(Table(Echo), Handler, cts.Token);

        Assert.Equal(LambdaBootstrap.ExitStopped, exit);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task RunAsync_Payload_HandlerReadsTheBytesLambdaSent()
    {
        _api.Enqueue("req-1", Now.AddSeconds(30), """{"awslogs":{"data":"H4sI"}}""");
        string? read = null;

        await RunAsync(async (input, ct) =>
        {
            using var reader = new StreamReader(input, Encoding.UTF8);
            read = await reader.ReadToEndAsync(ct);
            return Stream.Null;
        });

        Assert.Equal("""{"awslogs":{"data":"H4sI"}}""", read);
        Assert.Equal(string.Empty, _api.Requests[1].Body);
    }
}
