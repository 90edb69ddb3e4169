namespace FlowLogEvents.Signals;

/// <summary>A FIFO queue we can send to (the signal queue, or its dead-letter queue).</summary>
public interface IQueueSender
{
    /// <summary>Sends one message; throws when the queue did not accept it.</summary>
    Task SendAsync(QueueMessage message, CancellationToken ct);
}
