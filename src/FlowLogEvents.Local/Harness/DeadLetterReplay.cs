using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Exports;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// The DLQ replay of docs/operations.md ("Replay the dead-letter queue"), as an operator runs it after the
/// DLQ alarm: every signal goes back to the signal queue with deduplication id <c>replay-&lt;message id&gt;</c> and
/// is deleted from the DLQ; a message the export function set aside as malformed (it carries the
/// <c>flowlogevents-error</c> attribute) stays where it is. Work set aside for a cause outside the signal (it carries
/// <c>flowlogevents-set-aside</c>, one message per source record) is replayed like any signal.
/// </summary>
public static class DeadLetterReplay
{
    public static async Task<DeadLetterReplayResult> RunAsync(IAmazonSQS sqs, Uri deadLetterQueueUrl, Uri signalQueueUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(deadLetterQueueUrl);
        ArgumentNullException.ThrowIfNull(signalQueueUrl);
        var (replayed, malformed) = (0, 0);
        var sent = new List<string>();
        while (true)
        {
            var received = await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = deadLetterQueueUrl.ToString(),
                    MaxNumberOfMessages = 1,
                    VisibilityTimeout = 300,
                    MessageAttributeNames = ["All"],
                },
                ct).ConfigureAwait(false);
            if (received.Messages is not [var message, ..])
            {
                return new DeadLetterReplayResult(replayed, malformed, sent);
            }

            if (message.MessageAttributes?.ContainsKey(ExportBatchProcessor.ErrorAttribute) == true)
            {
                malformed++;
                continue;
            }

            var answer = await sqs.SendMessageAsync(
                new SendMessageRequest
                {
                    QueueUrl = signalQueueUrl.ToString(),
                    MessageGroupId = SignalPublisher.MessageGroupId,
                    MessageDeduplicationId = "replay-" + message.MessageId,
                    MessageBody = message.Body,
                },
                ct).ConfigureAwait(false);
            sent.Add(answer.MessageId);
            await sqs.DeleteMessageAsync(deadLetterQueueUrl.ToString(), message.ReceiptHandle, ct).ConfigureAwait(false);
            replayed++;
        }
    }
}
