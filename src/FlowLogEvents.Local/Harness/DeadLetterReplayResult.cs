namespace FlowLogEvents.Local.Harness;

/// <summary>What one replay of the dead-letter queue did.</summary>
/// <param name="SentMessageIds">The signal queue's ids of the messages sent back (SendMessage's answer), in order.</param>
public sealed record DeadLetterReplayResult(int Replayed, int LeftMalformed, IReadOnlyList<string> SentMessageIds);
