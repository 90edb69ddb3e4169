using FlowLogEvents.Signals;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>Records every message it accepts; can be told to refuse them.</summary>
public sealed class RecordingQueueSender : IQueueSender
{
    private readonly List<QueueMessage> _sent = [];

    /// <summary>When set, every send throws it (nothing is recorded as sent).</summary>
    public Exception? ThrowOnSend { get; set; }

    /// <summary>Calls, including those that threw.</summary>
    public int SendCalls { get; private set; }

    public IReadOnlyList<QueueMessage> Sent => _sent;

    public Task SendAsync(QueueMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ct.ThrowIfCancellationRequested();
        SendCalls++;
        if (ThrowOnSend is { } ex)
        {
            throw ex;
        }

        _sent.Add(message);
        return Task.CompletedTask;
    }
}
