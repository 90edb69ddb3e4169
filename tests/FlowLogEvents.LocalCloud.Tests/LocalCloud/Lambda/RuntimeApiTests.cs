using System.Text;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>The Runtime API as a bash+curl runtime sees it: headers, responses, errors, ids and payload limits.</summary>
public sealed class RuntimeApiTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Header name (lower case) to value, from the "headers" part of an <see cref="StandInRuntime.Introspect"/> answer.</summary>
    private static Dictionary<string, string> Headers(byte[] response) =>
        Encoding.UTF8.GetString(response).Split("\n--\n")[0].Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Contains(": ", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant(), l => l[(l.IndexOf(':', StringComparison.Ordinal) + 2)..]);

    [Fact]
    public async Task Invoke_EchoRuntime_ReturnsThePayloadFromAColdThenAWarmEnvironment()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition());

        var first = await function.InvokeAsync(Bytes("{\"awslogs\":{\"data\":\"H4sI\"}}"));
        var second = await function.InvokeAsync(Bytes("second"));

        Assert.Equal(InvocationOutcome.Success, first.Outcome);
        Assert.Equal("{\"awslogs\":{\"data\":\"H4sI\"}}", Encoding.UTF8.GetString(first.Response!));
        Assert.Equal(("probe-1", true), (first.EnvironmentId, first.ColdStart));
        Assert.Equal("second", Encoding.UTF8.GetString(second.Response!));
        Assert.Equal(("probe-1", false), (second.EnvironmentId, second.ColdStart));
        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Equal((1, 2, 2), (function.Counters.ColdStarts, function.Counters.Invocations, function.Counters.Successes));
    }

    [Fact]
    public async Task Next_WithTraceIdThenWithout_SendsRequestIdDeadlineOnTheFunctionClockArnAndTraceOnlyWhenGiven()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Introspect);
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 2), new LambdaHostOptions { Clock = clock, ClockSpeed = 60 });
        const string trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";

        var traced = await function.InvokeAsync(Bytes("{}"), trace);
        var untraced = await function.InvokeAsync(Bytes("{}"));

        var headers = Headers(traced.Response!);
        Assert.Equal(traced.RequestId, headers["lambda-runtime-aws-request-id"]);
        Assert.Equal((clock.NowMillis + 120_000).ToString(System.Globalization.CultureInfo.InvariantCulture), headers["lambda-runtime-deadline-ms"]);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:probe", headers["lambda-runtime-invoked-function-arn"]);
        Assert.Equal(trace, headers["lambda-runtime-trace-id"]);
        Assert.Equal("application/json", headers["content-type"]);
        var second = Headers(untraced.Response!);
        Assert.Equal(untraced.RequestId, second["lambda-runtime-aws-request-id"]);
        Assert.False(second.ContainsKey("lambda-runtime-trace-id"));
    }

    [Fact]
    public async Task Error_RuntimePostsInvocationError_EndsAsFunctionErrorWithTypeMessageAndDocument()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition());

        var failed = await function.InvokeAsync(Bytes("error"));
        var after = await function.InvokeAsync(Bytes("still warm"));

        Assert.Equal(InvocationOutcome.FunctionError, failed.Outcome);
        Assert.Equal("QueueDoesNotExistException", failed.ErrorType);
        Assert.Equal("the signal queue is gone", failed.ErrorMessage);
        Assert.Equal("{\"errorMessage\":\"the signal queue is gone\",\"errorType\":\"QueueDoesNotExistException\",\"stackTrace\":[\"at Send()\"]}", Encoding.UTF8.GetString(failed.Response!));
        Assert.Equal((InvocationOutcome.Success, "probe-1", false), (after.Outcome, after.EnvironmentId, after.ColdStart));
        Assert.Equal(1, function.Counters.FunctionErrors);
    }

    [Fact]
    public async Task Response_UnknownIdThenRightIdThenSameIdAgain_Answers400Then202Then400()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(), new LambdaHostOptions { Output = output.Sink });

        var result = await function.InvokeAsync(Bytes("bogus"));

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal("bogus", Encoding.UTF8.GetString(result.Response!));
        Assert.Equal("bogus id 400", await output.WaitForAsync("bogus id"));
        Assert.Equal("first 202", await output.WaitForAsync("first"));
        Assert.Equal("again 400", await output.WaitForAsync("again"));
    }

    [Fact]
    public async Task Response_OverTheLimit_Answers413AndEndsAsResponseSizeTooLarge()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 5), new LambdaHostOptions { Output = output.Sink });

        var result = await function.InvokeAsync(Bytes("large"));

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("Function.ResponseSizeTooLarge", result.ErrorType);
        Assert.Equal("Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).", result.ErrorMessage);
        Assert.Equal("large response 413", await output.WaitForAsync("large response"));
    }

    [Fact]
    public async Task Invoke_AsyncPayloadOfOneMebibytePlusOneByte_RejectedBeforeAnyProcessStarts()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition(type: InvocationType.Event));

        var result = await function.InvokeAsync(new byte[(1024 * 1024) + 1]);

        Assert.Equal(InvocationOutcome.PayloadTooLarge, result.Outcome);
        Assert.Equal("RequestEntityTooLargeException", result.ErrorType);
        Assert.Equal("1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)", result.ErrorMessage);
        Assert.Null(result.EnvironmentId);
        Assert.Equal((0, 0, 1), (function.Counters.ColdStarts, function.Counters.Invocations, function.Counters.PayloadRejections));
    }

    [Fact]
    public async Task Invoke_AsyncPayloadOfOneMebibyte_IsDelivered()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition(type: InvocationType.Event));
        var payload = Enumerable.Repeat((byte)'a', 1024 * 1024).ToArray();

        var result = await function.InvokeAsync(payload);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal(payload, result.Response);
    }

    [Fact]
    public async Task Invoke_SyncPayloadOfSixMebibytes_IsDeliveredAndOneByteMoreIsRejected()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 5));
        var payload = Enumerable.Repeat((byte)'b', 6 * 1024 * 1024).ToArray();

        var delivered = await function.InvokeAsync(payload);
        var rejected = await function.InvokeAsync(new byte[(6 * 1024 * 1024) + 1]);

        Assert.Equal(InvocationOutcome.Success, delivered.Outcome);
        Assert.Equal(payload, delivered.Response);
        Assert.Equal(InvocationOutcome.PayloadTooLarge, rejected.Outcome);
        Assert.Equal("6291457 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)", rejected.ErrorMessage);
        Assert.Equal((1, 1), (function.Counters.Invocations, function.Counters.PayloadRejections));
    }
}
