namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>queue</c>: the signal queue's timing, its depths at the end, and the DLQ replay.</summary>
public sealed record QueueSection(
    int DelaySeconds,
    int VisibilityTimeoutSeconds,
    int MaxReceiveCount,
    int BatchSize,
    int DepthAtEnd,
    int DeadLetterDepthAtEnd,
    int DeadLettersReplayed,
    RecursiveLoopSection RecursiveLoopDetection)
{
    public static QueueSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new QueueSection(
            result.QueueTiming.DelaySeconds,
            result.QueueTiming.VisibilityTimeoutSeconds,
            result.QueueTiming.MaxReceiveCount,
            result.QueueTiming.BatchSize,
            result.QueueDepthAtEnd,
            result.DeadLetterDepthAtEnd,
            result.DeadLettersReplayed,
            new RecursiveLoopSection(result.Counters.RecursiveInvocationsDropped, result.Counters.LoopMessagesMoved));
    }
}
