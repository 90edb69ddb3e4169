namespace FlowLogEvents.Local.Harness;

/// <summary>
/// How driving a run ended: the failure (null when every log group was done), the last progress seen, the queue depths
/// at the last poll, and the signals replayed from the DLQ.
/// </summary>
internal sealed record DrainOutcome(string? Failure, IReadOnlyList<GroupProgress> Progress, int QueueDepth, int DeadLetterDepth, int DeadLettersReplayed);
