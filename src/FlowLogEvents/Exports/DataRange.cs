namespace FlowLogEvents.Exports;

/// <summary>
/// The events one fresh data signal stands for: one log stream's [First, Last], ingested no later than
/// <paramref name="IngestedBy"/> (the end of the signal's debounce window, on the signal function's clock).
/// <paramref name="OnTimeFirst"/> is the oldest of them that was on time when the signal was sent (null: First).
/// </summary>
public readonly record struct DataRange(string? LogStream, long First, long Last, long IngestedBy, long? OnTimeFirst = null);
