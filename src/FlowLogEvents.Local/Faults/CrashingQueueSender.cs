using FlowLogEvents.Signals;

namespace FlowLogEvents.Local.Faults;

/// <summary>Crash points around SendMessage (the signal function's signal, the export function's continuation).</summary>
public sealed class CrashingQueueSender(IQueueSender inner, CrashSchedule schedule, ProcessDeath death, string beforeStep, string afterStep) : IQueueSender
{
    public async Task SendAsync(QueueMessage message, CancellationToken ct)
    {
        await schedule.ReachAsync(beforeStep, death).ConfigureAwait(false);
        await inner.SendAsync(message, ct).ConfigureAwait(false);
        await schedule.ReachAsync(afterStep, death).ConfigureAwait(false);
    }
}
