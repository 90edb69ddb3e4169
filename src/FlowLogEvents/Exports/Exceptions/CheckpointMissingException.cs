namespace FlowLogEvents.Exports;

/// <summary>
/// A checkpoint that must exist is gone: deleted while in use (a conditional write answered 404
/// NoSuchKey, or a re-read found nothing), or a continuation arrived for a log group without one.
/// The exported-through position is lost with it; it is never recreated from a guess.
/// </summary>
public sealed class CheckpointMissingException(string message) : Exception(message);
