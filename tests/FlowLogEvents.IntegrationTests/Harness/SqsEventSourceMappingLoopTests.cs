using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// Lambda's recursive loop detection in the local event source mapping, over real FIFO queues in moto: a
/// function that sends its record back to its own queue, carrying the trace header it was given (as
/// AWSSDK.Core and SQS do), is stopped at its 17th invocation and the record moved to the DLQ.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqsEventSourceMappingLoopTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task RunAsync_FunctionRequeuesItsRecord_SixteenInvocationsThenRecordInDlq()
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var (queueUrl, dlqUrl) = await QueuesAsync(sqs);
        var counters = new RunCounters();
        var function = new Requeue(sqs, queueUrl, stopAfter: 100);
        var esm = Mapping(sqs, queueUrl, dlqUrl, function, counters, "Terminate");
        await SendAsync(sqs, queueUrl, "lap-0");

        using var stop = new CancellationTokenSource();
        var running = esm.RunAsync(stop.Token);
        await WaitAsync(() => counters.RecursiveInvocationsDropped > 0);
        await stop.CancelAsync();
        await running;

        Assert.Equal(16, function.Invocations);
        Assert.Equal(Enumerable.Range(1, 16), function.Counts);
        Assert.Equal(1, counters.RecursiveInvocationsDropped);
        Assert.Equal(1, counters.LoopMessagesMoved);
        var dead = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlqUrl.ToString(), MessageSystemAttributeNames = ["All"] });
        var message = Assert.Single(dead.Messages);
        Assert.Equal("lap-16", message.Body);
        Assert.Equal(16, TraceHeader.Parse(message.Attributes["AWSTraceHeader"])!.InvocationsOf("ExportFunction"));
        Assert.Equal(0, await DepthAsync(sqs, queueUrl));
    }

    [Fact]
    public async Task RunAsync_RecursiveLoopAllow_TwentyInvocationsNothingInDlq()
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var (queueUrl, dlqUrl) = await QueuesAsync(sqs);
        var counters = new RunCounters();
        var function = new Requeue(sqs, queueUrl, stopAfter: 20);
        var esm = Mapping(sqs, queueUrl, dlqUrl, function, counters, "Allow");
        await SendAsync(sqs, queueUrl, "lap-0");

        using var stop = new CancellationTokenSource();
        var running = esm.RunAsync(stop.Token);
        await WaitAsync(() => function.Invocations >= 20 && counters.RecordsDeleted >= 20);
        await stop.CancelAsync();
        await running;

        Assert.Equal(20, function.Invocations);
        Assert.Equal(Enumerable.Range(1, 20), function.Counts);
        Assert.Equal(0, counters.RecursiveInvocationsDropped);
        Assert.Equal(0, await DepthAsync(sqs, dlqUrl));
    }

    private static SqsEventSourceMapping Mapping(AmazonSQSClient sqs, Uri queueUrl, Uri dlqUrl, IFunctionInvoker function, RunCounters counters, string recursiveLoop) =>
        new(sqs, queueUrl, "arn:aws:sqs:us-east-1:123456789012:loop.fifo", 10, function, counters, _ => { })
        {
            FunctionName = "ExportFunction",
            RecursiveLoop = recursiveLoop,
            DeadLetterQueueUrl = dlqUrl,
        };

    private static async Task<(Uri Queue, Uri DeadLetters)> QueuesAsync(AmazonSQSClient sqs)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var fifo = new Dictionary<string, string> { ["FifoQueue"] = "true" };
        var dlq = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"loop-dlq-{id}.fifo", Attributes = fifo })).QueueUrl;
        var queue = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"loop-{id}.fifo", Attributes = fifo })).QueueUrl;
        return (new Uri(queue), new Uri(dlq));
    }

    private static Task<SendMessageResponse> SendAsync(AmazonSQSClient sqs, Uri queueUrl, string body, string? traceHeader = null) =>
        sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl.ToString(),
            MessageBody = body,
            MessageGroupId = "signals",
            MessageDeduplicationId = body,
            MessageSystemAttributes = traceHeader is null ? null : new() { ["AWSTraceHeader"] = new() { DataType = "String", StringValue = traceHeader } },
        });

    private static async Task<int> DepthAsync(AmazonSQSClient sqs, Uri queueUrl)
    {
        var a = await sqs.GetQueueAttributesAsync(queueUrl.ToString(), ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]);
        return a.ApproximateNumberOfMessages + a.ApproximateNumberOfMessagesNotVisible + a.ApproximateNumberOfMessagesDelayed;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the event source mapping did not get there");
    }

    /// <summary>Sends a continuation of its record (with the trace header it was invoked with) until <c>stopAfter</c> invocations.</summary>
    private sealed class Requeue(AmazonSQSClient sqs, Uri queueUrl, int stopAfter) : IFunctionInvoker
    {
        public int Invocations => Counts.Count;

        public List<int> Counts { get; } = [];

        public async Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null)
        {
            Counts.Add(TraceHeader.Parse(traceId)!.InvocationsOf("ExportFunction"));
            if (Invocations < stopAfter)
            {
                await SendAsync(sqs, queueUrl, $"lap-{Invocations}", traceId);
            }

            return new MemoryStream("""{"batchItemFailures":[]}"""u8.ToArray());
        }
    }
}
