namespace FlowLogEvents.Exports.StateMachine;

/// <summary>
/// One stream's events that arrived for a range already exported (or in an export already running): [From, To] of
/// <see cref="LogStream"/>, from the signal <see cref="Key"/> names (null without a stream).
/// </summary>
public readonly record struct LateRange(string? LogStream, long From, long To, long IngestedBy, string? Key);
