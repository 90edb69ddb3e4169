namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>queue.recursiveLoopDetection</c>: what Lambda's recursive loop detection stopped.</summary>
public sealed record RecursiveLoopSection(int RecursiveInvocationsDropped, int MessagesMovedToDeadLetterQueue);
