namespace FlowLogEvents.Exports;

/// <summary>Compare-and-swap kept failing: too many writers at once. The record is retried.</summary>
public sealed class CheckpointContentionException(string message) : Exception(message);
