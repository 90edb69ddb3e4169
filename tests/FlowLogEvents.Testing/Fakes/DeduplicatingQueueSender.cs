using FlowLogEvents.Signals;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>
/// A FIFO queue's deduplication, as SQS applies it: a message whose deduplication id was accepted in the last
/// five minutes is acknowledged and dropped. <see cref="Accepted"/> holds what the queue kept.
/// </summary>
public sealed class DeduplicatingQueueSender(TimeProvider time) : IQueueSender
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private readonly List<QueueMessage> _accepted = [];
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<QueueMessage> Accepted => _accepted;

    public Task SendAsync(QueueMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ct.ThrowIfCancellationRequested();
        if (message.DeduplicationId.Length is 0 or > 128)
        {
            throw new ArgumentException($"MessageDeduplicationId must be 1 to 128 characters, got {message.DeduplicationId.Length}");
        }

        var now = time.GetUtcNow();
        if (_seen.TryGetValue(message.DeduplicationId, out var at) && now - at < Interval)
        {
            return Task.CompletedTask;
        }

        _seen[message.DeduplicationId] = now;
        _accepted.Add(message);
        return Task.CompletedTask;
    }
}
