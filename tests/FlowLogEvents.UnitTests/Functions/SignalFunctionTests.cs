using System.Text.Json;
using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Functions;

public sealed class SignalFunctionTests : IDisposable
{
    // 2025-11-26T14:45:30Z: inside the debounce window [14:45:00, 14:46:00).
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1764168330000);
    private const long WindowStart = 1764168300000;

    // The fixture's events are 11 to 27 minutes old: with a one-hour settle delay none is possibly late,
    // so these tests see debouncing alone (LateSignalTests covers deliveries older than the settle delay).
    private static readonly SignalSettings Settings = new(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60), SettleDelay: TimeSpan.FromHours(1));

    private readonly SignalFunctionUnderTest _sut = new(Now, Settings);

    public void Dispose() => _sut.Dispose();

    private async Task<JsonElement> InvokeAsync(Stream input)
    {
        using var output = await _sut.Function.HandleAsync(input);
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task HandleAsync_VpcFlowLogsPayload_SendsOneSignalWithExactFields()
    {
        var response = await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));

        Assert.Equal("Sent", response.GetProperty("result").GetString());
        var message = Assert.Single(_sut.Queue.Sent);
        Assert.Equal("flowlogevents-exports", message.GroupId);
        Assert.Equal($"{SignalPublisher.Hash("/vpc/flow-logs")}-{WindowStart}", message.DeduplicationId);
        Assert.Equal(
            """{"schema":1,"kind":"data","logGroup":"/vpc/flow-logs","owner":"123456789012","logStream":"eni-0a1b2c3d4e5f60718-all","firstEventTime":1764166680000,"lastEventTime":1764167640000,"eventCount":6,"windowStart":1764168300000,"windowEnd":1764168360000,"continuations":0}""",
            message.Body);
        Assert.Equal(1764168359999, SignalCodec.Decode(message.Body).ExportThrough);
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.SignalsSent));
        Assert.Single(_sut.Telemetry.Events(LogEvents.SignalSent));
    }

    [Fact]
    public async Task HandleAsync_AwsDocumentationSample_SendsSignalForItsLogGroup()
    {
        // The sample's events are from 2015-08-24T18:43:07Z: delivered a minute later (older ones CloudWatch Logs never holds).
        using var sut = new SignalFunctionUnderTest(DateTimeOffset.FromUnixTimeMilliseconds(1440442987000 + 60_000), Settings);

        (await sut.Function.HandleAsync(FixtureFiles.Stream("subscription/aws-docs-sample.json"))).Dispose();

        var signal = SignalCodec.Decode(Assert.Single(sut.Queue.Sent).Body);
        Assert.Equal(("testLogGroup", "testLogStream", 2L, 1440442987000L, 1440442987001L), (signal.LogGroup, signal.LogStream, signal.EventCount, signal.FirstEventTime, signal.LastEventTime));
    }

    [Fact]
    public async Task HandleAsync_ControlMessage_SendsNothing()
    {
        var response = await InvokeAsync(FixtureFiles.Stream("subscription/control-message.json"));

        Assert.Equal("IgnoredControlMessage", response.GetProperty("result").GetString());
        Assert.Equal(0, _sut.Queue.SendCalls);
        Assert.Equal("control message", Assert.Single(_sut.Telemetry.Events(LogEvents.SignalSkipped)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task HandleAsync_SameLogGroupSameWindowOnWarmInstance_SkipsSendMessage()
    {
        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));
        _sut.Time.Advance(TimeSpan.FromSeconds(20));

        var response = await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));

        Assert.Equal("SuppressedWarm", response.GetProperty("result").GetString());
        Assert.Equal(1, _sut.Queue.SendCalls);
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.SignalsSuppressed));
    }

    [Fact]
    public async Task HandleAsync_NextDebounceWindow_SendsAgainWithNewDeduplicationId()
    {
        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));
        _sut.Time.Advance(TimeSpan.FromSeconds(30));

        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.Equal($"{SignalPublisher.Hash("/vpc/flow-logs")}-{WindowStart + 60000}", _sut.Queue.Sent[1].DeduplicationId);
    }

    [Fact]
    public async Task HandleAsync_TwoColdInstancesSameWindow_UseTheSameDeduplicationId()
    {
        using var otherTelemetry = new TelemetryCapture(_sut.Time, "signal");
        var otherQueue = new RecordingQueueSender();
        var other = new SignalFunction(otherQueue, Settings, _sut.Time, otherTelemetry.Telemetry);

        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));
        (await other.HandleAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"))).Dispose();

        Assert.Equal(Assert.Single(_sut.Queue.Sent).DeduplicationId, Assert.Single(otherQueue.Sent).DeduplicationId);
    }

    [Fact]
    public async Task HandleAsync_EventsStampedAfterTheWindowOnWarmInstance_SendsAgainWithOwnId()
    {
        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));
        var future = Now.ToUnixTimeMilliseconds() + 3_600_000;

        await InvokeAsync(FixtureFiles.Subscription($$"""{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/vpc/flow-logs","logStream":"s","logEvents":[{"id":"1","timestamp":{{future}},"message":"m"}]}"""));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.Equal($"{SignalPublisher.Hash("/vpc/flow-logs")}-{WindowStart}-{future}", _sut.Queue.Sent[1].DeduplicationId);
        Assert.Equal(future, SignalCodec.Decode(_sut.Queue.Sent[1].Body).ExportThrough);
    }

    [Theory]
    [InlineData("""{"awslogs":{"data":"%%%"}}""", "awslogs.data is not valid base64 (InvalidData)")]
    [InlineData("""{"awslogs":{"data":"aGVsbG8gd29ybGQ="}}""", "awslogs.data is not gzip (no gzip header)")]
    [InlineData("""{"something":"else"}""", "awslogs is missing: not a CloudWatch Logs subscription event")]
    public async Task HandleAsync_MalformedPayload_LogsOneErrorCountsItAndDoesNotThrow(string invocation, string reason)
    {
        var response = await InvokeAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(invocation)));

        Assert.Equal("malformed", response.GetProperty("result").GetString());
        Assert.Equal(reason, response.GetProperty("error").GetString());
        Assert.Equal(0, _sut.Queue.SendCalls);
        var line = Assert.Single(_sut.Telemetry.LogLines);
        Assert.Equal(("ERROR", LogEvents.PayloadMalformed, reason), (line.GetProperty("level").GetString(), line.GetProperty("event").GetString(), line.GetProperty("reason").GetString()));
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.MalformedPayloads));
    }

    [Fact]
    public async Task HandleAsync_QueueUnreachable_ThrowsSoLambdaRetriesAndDoesNotRemember()
    {
        _sut.Queue.ThrowOnSend = new HttpRequestException("connection refused");

        await Assert.ThrowsAsync<HttpRequestException>(() => _sut.Function.HandleAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json")));
        _sut.Queue.ThrowOnSend = null;
        await InvokeAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"));

        Assert.Single(_sut.Queue.Sent);
        Assert.Equal(2, _sut.Queue.SendCalls);
    }

    [Fact]
    public async Task HandleAsync_DeliveryOfItsOwnStacksFunctionLogGroup_RefusedWithOneErrorAndAMetricNeverASignal()
    {
        using var sut = new SignalFunctionUnderTest(Now, Settings with { OwnLogGroups = ["/aws/lambda/fle-signal", "testLogGroup"] });
        using var output = await sut.Function.HandleAsync(FixtureFiles.Stream("subscription/aws-docs-sample.json"));
        using var response = await JsonDocument.ParseAsync(output);

        Assert.Equal("refused", response.RootElement.GetProperty("result").GetString());
        Assert.Empty(sut.Queue.Sent);
        var error = Assert.Single(sut.Telemetry.LogLines);
        Assert.Equal(("ERROR", LogEvents.DeliveryOwnLogGroup, "testLogGroup"), (error.GetProperty("level").GetString(), error.GetProperty("event").GetString(), error.GetProperty("logGroup").GetString()));
        Assert.Equal([1.0], sut.Telemetry.MetricValues(MetricNames.OwnLogGroupDeliveries));
    }
}
