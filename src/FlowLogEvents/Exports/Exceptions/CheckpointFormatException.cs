namespace FlowLogEvents.Exports;

/// <summary>A checkpoint object that cannot be read; it is never overwritten by a guess.</summary>
public sealed class CheckpointFormatException(string message, Exception? inner = null) : Exception(message, inner);
