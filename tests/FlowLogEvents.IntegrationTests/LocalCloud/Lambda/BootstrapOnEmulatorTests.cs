using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FlowLogEvents.Functions;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>
/// The published package's <c>bootstrap</c> (our Runtime API client and both handlers) as a process against
/// the local Lambda service: what Lambda would see on provided.al2023. No AWS endpoint is reachable here
/// (AWS_ENDPOINT_URL points at a port that accepts and never answers), so only paths that need no AWS
/// answer are exercised; the local-run tests cover the rest.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BootstrapOnEmulatorTests : IDisposable
{
    private const string QueueUrl = "http://sqs.us-east-1.localhost/123456789012/flowlogevents-signals.fifo";
    private const string DeadLetterUrl = "http://sqs.us-east-1.localhost/123456789012/flowlogevents-dlq.fifo";
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);

    public BootstrapOnEmulatorTests() => _silent.Start();

    private string SilentEndpoint => $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}";

    public void Dispose() => _silent.Dispose();

    [Fact]
    public async Task Invoke_SignalControlMessage_AnswersThroughTheRuntimeApiFromAColdThenAWarmProcess()
    {
        await using var function = await SignalAsync();

        var first = await function.InvokeAsync(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_000_000), "Root=1-67891233-abcdef012345678912345678;Sampled=0");
        var second = await function.InvokeAsync(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_060_000));

        Assert.Equal((InvocationOutcome.Success, true), (first.Outcome, first.ColdStart));
        Assert.Equal((InvocationOutcome.Success, false, first.EnvironmentId), (second.Outcome, second.ColdStart, second.EnvironmentId));
        using var response = JsonDocument.Parse(first.Response!);
        Assert.Equal("IgnoredControlMessage", response.RootElement.GetProperty("result").GetString());
        var timing = Assert.Single(function.Counters.ColdStartTimings);
        Assert.True(timing.ToFirstNext < timing.ToFirstResponse, $"first /next {timing.ToFirstNext}, first response {timing.ToFirstResponse}");
    }

    [Fact]
    public async Task Invoke_ExportWithAnEventThatIsNotSqs_EndsAsAFunctionErrorOfTheExceptionsType()
    {
        await using var function = await ExportAsync(TimeSpan.FromSeconds(30));

        var result = await function.InvokeAsync("{\"detail\":{}}"u8.ToArray());

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("InvalidDataException", result.ErrorType);
        Assert.Equal("SQS event has no Records array", result.ErrorMessage);
        Assert.Equal(0, function.Counters.Deaths);
    }

    [Fact]
    public async Task Invoke_SignalWithoutItsQueueVariable_InitErrorNamingItThenAFreshProcessAtTheNextInvoke()
    {
        await using var function = await SignalAsync(without: "SIGNAL_QUEUE_URL");

        var first = await function.InvokeAsync(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_000_000));
        var second = await function.InvokeAsync(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_000_000));

        Assert.Equal(InvocationOutcome.InitError, first.Outcome);
        Assert.Contains("SIGNAL_QUEUE_URL", first.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal((InvocationOutcome.InitError, true), (second.Outcome, second.ColdStart));
        Assert.NotEqual(first.EnvironmentId, second.EnvironmentId);
        Assert.Equal(2, function.Counters.InitErrors);
    }

    [Fact]
    public async Task Invoke_UnknownHandler_InitErrorNoSuchHandlerNamingTheKnownOnes()
    {
        await using var function = await StartAsync(Definition(FunctionProcesses.SignalFunctionName, "FlowLogEvents::FlowLogEvents.Functions.Nothing::HandleAsync", SignalVariables(), TimeSpan.FromSeconds(10), InvocationType.Event, await PackageAsync()));

        var result = await function.InvokeAsync(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_000_000));

        Assert.Equal((InvocationOutcome.InitError, "Runtime.NoSuchHandler"), (result.Outcome, result.ErrorType));
        Assert.Contains(FunctionHandlers.Signal, result.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>
    /// S3 never answers: the handler's token fires <c>DeadlineMargin</c> before the deadline, and the batch ends as
    /// reported failures (every record retried by SQS), answered in time, instead of a timeout that kills the process.
    /// </summary>
    [Fact]
    public async Task Invoke_ExportWhileS3Hangs_ReportsEveryRecordFailedBeforeTheDeadlineInsteadOfTimingOut()
    {
        await using var function = await ExportAsync(TimeSpan.FromSeconds(6));

        var result = await function.InvokeAsync(SqsEvent("m-1", "m-2"));

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        using var response = JsonDocument.Parse(result.Response!);
        Assert.Equal(["m-1", "m-2"], response.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()));
        Assert.Equal((0, 0), (function.Counters.Timeouts, function.Counters.Deaths));
    }

    [Fact]
    public async Task Invoke_SynchronousPayloadOfSixMebibytes_ReachesTheHandlerAndOneByteMoreIsRefused()
    {
        await using var function = await ExportAsync(TimeSpan.FromSeconds(30));
        var payload = Padded("{\"detail\":{}}", LambdaLimits.MaxSyncRequestBytes);

        var result = await function.InvokeAsync(payload);
        var refused = await function.InvokeAsync(Padded("{\"detail\":{}}", LambdaLimits.MaxSyncRequestBytes + 1));

        Assert.Equal((InvocationOutcome.FunctionError, "SQS event has no Records array"), (result.Outcome, result.ErrorMessage));
        Assert.Equal(InvocationOutcome.PayloadTooLarge, refused.Outcome);
    }

    [Fact]
    public async Task Invoke_AsynchronousPayloadOfOneMebibyte_ReachesTheHandlerAndOneByteMoreIsRefused()
    {
        await using var function = await SignalAsync();
        var control = Encoding.UTF8.GetString(SubscriptionEncoder.ControlMessage("/vpc/flow-logs", 1_796_000_000_000));

        var result = await function.InvokeAsync(Padded(control, LambdaLimits.MaxAsyncRequestBytes));
        var refused = await function.InvokeAsync(Padded(control, LambdaLimits.MaxAsyncRequestBytes + 1));

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Equal(InvocationOutcome.PayloadTooLarge, refused.Outcome);
    }

    /// <summary>JSON followed by spaces up to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(string json, int size)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)' ');
        Encoding.UTF8.GetBytes(json, bytes);
        return bytes;
    }

    private static byte[] SqsEvent(params string[] ids)
    {
        var window = 1_796_000_000_000L;
        var records = ids.Select(id => new
        {
            messageId = id,
            body = JsonSerializer.Serialize(new { schema = 1, kind = "data", logGroup = "/vpc/flow-logs", owner = "123456789012", logStream = "eni-0a1b2c3d4e5f60718-all", firstEventTime = window - 60_000, lastEventTime = window + 30_000, eventCount = 10, windowStart = window, windowEnd = window + 60_000 }),
            attributes = new { ApproximateReceiveCount = "1", MessageGroupId = "flowlogevents-exports" },
            eventSource = "aws:sqs",
            eventSourceARN = "arn:aws:sqs:us-east-1:123456789012:flowlogevents-signals.fifo",
        });
        return JsonSerializer.SerializeToUtf8Bytes(new { Records = records });
    }

    private static Dictionary<string, string> SignalVariables() => new(StringComparer.Ordinal)
    {
        ["SIGNAL_QUEUE_URL"] = QueueUrl,
        ["DEBOUNCE_SECONDS"] = "60",
        ["SETTLE_DELAY_SECONDS"] = "900",
        ["CLOCK_SKEW_SECONDS"] = "60",
    };

    private static async Task<string> PackageAsync() => (await PublishedPackage.ForHostAsync()).Directory;

    private static FunctionDefinition Definition(string name, string handler, IReadOnlyDictionary<string, string> variables, TimeSpan timeout, InvocationType type, string package) =>
        new(name, handler, timeout, 256, variables, package, 1, type);

    private async Task<LambdaFunction> SignalAsync(string? without = null)
    {
        var variables = SignalVariables();
        if (without is not null)
        {
            variables.Remove(without);
        }

        return await StartAsync(Definition(FunctionProcesses.SignalFunctionName, FunctionHandlers.Signal, variables, TimeSpan.FromSeconds(10), InvocationType.Event, await PackageAsync()));
    }

    private async Task<LambdaFunction> ExportAsync(TimeSpan timeout)
    {
        var template = FlowLogEvents.Local.LocalCloud.ServerlessTemplate.Load();
        var variables = template.Environment(
            FunctionProcesses.ExportFunctionName,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["SignalQueue"] = QueueUrl, ["DeadLetterQueue"] = DeadLetterUrl, ["ExportBucketName"] = "flowlogevents-exports", ["ExportFunctionLogGroup"] = "/aws/lambda/ExportFunction" });
        return await StartAsync(Definition(FunctionProcesses.ExportFunctionName, FunctionHandlers.Export, variables, timeout, InvocationType.RequestResponse, await PackageAsync()));
    }

    private Task<LambdaFunction> StartAsync(FunctionDefinition definition) => Task.FromResult(new LambdaFunction(definition, new LambdaHostOptions
    {
        ExtraEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = SilentEndpoint },
    }));
}
