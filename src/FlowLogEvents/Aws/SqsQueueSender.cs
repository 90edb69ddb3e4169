using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Aws;

/// <summary>Sends to one SQS FIFO queue. Failures (unreachable, throttled after retries) throw.</summary>
public sealed class SqsQueueSender(IAmazonSQS sqs, Uri queueUrl) : IQueueSender
{
    /// <summary>The IAM actions of the operations this adapter calls.</summary>
    public static IReadOnlyList<string> RequiredActions { get; } = [IamActions.SqsSendMessage];

    public async Task SendAsync(QueueMessage message, CancellationToken ct)
    {
        var request = new SendMessageRequest
        {
            QueueUrl = queueUrl.ToString(),
            MessageBody = message.Body,
            MessageGroupId = message.GroupId,
            MessageDeduplicationId = message.DeduplicationId,
        };
        if (message.Attributes is { Count: > 0 } attributes)
        {
            request.MessageAttributes = attributes.ToDictionary(
                a => a.Key,
                a => new MessageAttributeValue { DataType = "String", StringValue = a.Value });
        }

        await sqs.SendMessageAsync(request, ct).ConfigureAwait(false);
    }
}
