namespace FlowLogEvents.Local.Harness;

/// <summary>What one replay of the dead-letter queue did.</summary>
public sealed record DeadLetterReplayResult(int Replayed, int LeftMalformed);
