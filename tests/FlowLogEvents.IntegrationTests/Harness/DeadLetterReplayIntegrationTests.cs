using Amazon.SQS.Model;
using FlowLogEvents.Exports;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.Harness;

/// <summary>The DLQ replay of docs/operations.md, as the harness runs it, against real FIFO queues in moto.</summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterReplayIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task RunAsync_SignalsAndMalformed_ReplaysSignalsLeavesMalformed()
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var id = Guid.NewGuid().ToString("N")[..10];
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"signals-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var dlqUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"dlq-{id}.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        const string Signal = """{"schema":1,"kind":"data","logGroup":"/vpc/a"}""";
        var dead = await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = dlqUrl, MessageBody = Signal, MessageGroupId = SignalPublisher.MessageGroupId, MessageDeduplicationId = "d1" });
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = dlqUrl,
            MessageBody = "not json",
            MessageGroupId = SignalPublisher.MessageGroupId,
            MessageDeduplicationId = "d2",
            MessageAttributes = new() { [ExportBatchProcessor.ErrorAttribute] = new MessageAttributeValue { DataType = "String", StringValue = "body is not JSON" } },
        });

        var result = await DeadLetterReplay.RunAsync(sqs, new Uri(dlqUrl), new Uri(queueUrl), CancellationToken.None);

        Assert.Equal((1, 1), (result.Replayed, result.LeftMalformed));
        var replayed = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, MessageSystemAttributeNames = ["All"] });
        var message = Assert.Single(replayed.Messages);
        Assert.Equal(message.MessageId, Assert.Single(result.SentMessageIds));
        Assert.Equal(Signal, message.Body);
        Assert.Equal("replay-" + dead.MessageId, message.Attributes["MessageDeduplicationId"]);
        Assert.Equal(SignalPublisher.MessageGroupId, message.Attributes["MessageGroupId"]);
        var depth = await sqs.GetQueueAttributesAsync(dlqUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal(1, depth.ApproximateNumberOfMessages + depth.ApproximateNumberOfMessagesNotVisible);
    }
}
