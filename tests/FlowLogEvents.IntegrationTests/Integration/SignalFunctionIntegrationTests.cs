using Amazon.SQS.Model;
using FlowLogEvents.Aws;
using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class SignalFunctionIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1764168330000);

    [Fact]
    public async Task HandleAsync_RealFifoQueue_PutsOneMessageAndFifoDeduplicatesASecondInstance()
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"signals-{Guid.NewGuid():N}.fifo",
            Attributes = new() { ["FifoQueue"] = "true" },
        })).QueueUrl;
        var settings = new SignalSettings(new Uri(queueUrl), TimeSpan.FromSeconds(60), SettleDelay: TimeSpan.FromHours(1));
        var time = new ManualTimeProvider(Now);
        using var telemetry = new TelemetryCapture(time, "signal");

        // Two cold instances (no shared memory) handle deliveries of the same log group in one window.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var function = new SignalFunction(new SqsQueueSender(sqs, new Uri(queueUrl)), settings, time, telemetry.Telemetry);
            (await function.HandleAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json"))).Dispose();
        }

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 10,
            MessageSystemAttributeNames = ["All"],
        });

        var message = Assert.Single(received.Messages);
        Assert.Equal("flowlogevents-exports", message.Attributes["MessageGroupId"]);
        Assert.Equal($"{SignalPublisher.Hash("/vpc/flow-logs")}-1764168300000", message.Attributes["MessageDeduplicationId"]);
        var signal = SignalCodec.Decode(message.Body);
        Assert.Equal(("/vpc/flow-logs", 6L, 1764166680000L, 1764167640000L), (signal.LogGroup, signal.EventCount, signal.FirstEventTime, signal.LastEventTime));
        Assert.Equal([1.0, 1.0], telemetry.MetricValues(MetricNames.SignalsSent));
    }
}
