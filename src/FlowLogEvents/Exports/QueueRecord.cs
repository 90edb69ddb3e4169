namespace FlowLogEvents.Exports;

/// <summary>One SQS record as the export function sees it; <paramref name="ReceiveCount"/> is its ApproximateReceiveCount.</summary>
public sealed record QueueRecord(string MessageId, string? Body, int ReceiveCount = 1);
