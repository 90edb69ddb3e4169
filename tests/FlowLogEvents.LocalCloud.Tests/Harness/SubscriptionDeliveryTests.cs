using System.Text.Json;
using FlowLogEvents.Configuration;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// The local cloud's asynchronous invocation: two retries, then (with an on-failure destination) Lambda's
/// invocation record in AWS's shape; without one the delivery is gone.
/// </summary>
public sealed class SubscriptionDeliveryTests
{
    private const long EventTime = 1764167640000;

    // Fast enough that the 1 + 2 simulated minutes of retries take a few milliseconds.
    private readonly SimulatedClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(EventTime + 60_000), 100_000);
    private readonly RunCounters _counters = new();
    private readonly List<string> _problems = [];
    private readonly List<string> _destination = [];

    private static byte[] Delivery() => SubscriptionEncoder.DataMessage(
        "123456789012",
        "/vpc/flow-logs",
        "eni-0a1b2c3d4e5f60718-all",
        [new SubscriptionEvent(SubscriptionEncoder.EventId(EventTime - 60_000, 1), EventTime - 60_000, "2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.5 10.0.1.9 443 49152 6 10 840 1764167580 1764167640 ACCEPT OK"), new SubscriptionEvent(SubscriptionEncoder.EventId(EventTime, 2), EventTime, "2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.5 10.0.1.9 443 49153 6 4 320 1764167580 1764167640 ACCEPT OK")]);

    private SubscriptionDelivery Delivering(IFunctionInvoker function, bool withDestination) =>
        new([function], 7, _clock, _counters, _problems.Add, 0)
        {
            OnFailureDestination = withDestination ? (record, _) => { _destination.Add(record); return Task.CompletedTask; } : null,
            FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:SignalFunction:$LATEST",
        };

    [Fact]
    public async Task DeliverAsync_EveryAttemptFailsWithoutDestination_TheDeliveryIsGone()
    {
        var function = new FailingInvoker();

        await Delivering(function, withDestination: false).DeliverAsync(Delivery(), "/vpc/flow-logs/eni-0a1b2c3d4e5f60718-all", CancellationToken.None);

        Assert.Equal(3, function.Calls);
        Assert.Equal((1, 0), (_counters.SubscriptionsDropped, _counters.SubscriptionsSentToDestination));
        Assert.Equal("subscription delivery /vpc/flow-logs/eni-0a1b2c3d4e5f60718-all failed 3 times and was dropped: HttpRequestException: Name or service not known (sqs.us-east-1.amazonaws.com:443)", Assert.Single(_problems));
    }

    [Fact]
    public async Task DeliverAsync_EveryAttemptFails_SendsLambdasInvocationRecordToTheDestination()
    {
        var delivery = Delivery();

        await Delivering(new FailingInvoker(), withDestination: true).DeliverAsync(delivery, "d", CancellationToken.None);

        using var record = JsonDocument.Parse(Assert.Single(_destination));
        var root = record.RootElement;
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _));
        var context = root.GetProperty("requestContext");
        Assert.Equal(("arn:aws:lambda:us-east-1:123456789012:function:SignalFunction:$LATEST", "RetriesExhausted", 3), (context.GetProperty("functionArn").GetString(), context.GetProperty("condition").GetString(), context.GetProperty("approximateInvokeCount").GetInt32()));
        Assert.True(Guid.TryParse(context.GetProperty("requestId").GetString(), out _));
        Assert.Equal(JsonDocument.Parse(delivery).RootElement.GetRawText(), root.GetProperty("requestPayload").GetRawText());
        Assert.Equal("Unhandled", root.GetProperty("responseContext").GetProperty("functionError").GetString());
        Assert.Equal("HttpRequestException", root.GetProperty("responsePayload").GetProperty("errorType").GetString());
        Assert.Equal((0, 1), (_counters.SubscriptionsDropped, _counters.SubscriptionsSentToDestination));
        Assert.Empty(_problems);
    }

    [Fact]
    public async Task DeliverAsync_RecordReadBackByTheSignalFunction_SignalsTheDeliverysRange()
    {
        await Delivering(new FailingInvoker(), withDestination: true).DeliverAsync(Delivery(), "d", CancellationToken.None);
        using var sut = new SignalFunctionUnderTest(_clock.GetUtcNow().AddMinutes(4), new SignalSettings(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1)));
        var sqsEvent = JsonSerializer.SerializeToUtf8Bytes(new { Records = new[] { new { messageId = "6f1d0c9e-3b7a-4c2d-9e8f-1a2b3c4d5e6f", body = _destination[0], eventSource = "aws:sqs" } } });

        await using var response = await sut.Function.HandleAsync(new MemoryStream(sqsEvent));

        var signal = SignalCodec.Decode(Assert.Single(sut.Queue.Sent).Body);
        Assert.Equal(("/vpc/flow-logs", "eni-0a1b2c3d4e5f60718-all", EventTime - 60_000, EventTime, 2L), (signal.LogGroup, signal.LogStream, signal.FirstEventTime, signal.LastEventTime, signal.EventCount));
    }

    [Fact]
    public async Task DeliverAsync_FailEveryAttempt_NeverReachesTheFunctionAndGoesToTheDestination()
    {
        var function = new FailingInvoker();

        await Delivering(function, withDestination: true).DeliverAsync(Delivery(), "d", failEveryAttempt: true, CancellationToken.None);

        Assert.Equal(0, function.Calls);
        Assert.Single(_destination);
        Assert.Equal(2, _counters.SubscriptionRetries);
    }

    private sealed class FailingInvoker : IFunctionInvoker
    {
        public int Calls { get; private set; }

        public Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null)
        {
            Calls++;
            throw new HttpRequestException("Name or service not known (sqs.us-east-1.amazonaws.com:443)");
        }
    }
}
