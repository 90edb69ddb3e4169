namespace FlowLogEvents.Exports;

/// <summary>
/// The events one fresh data signal stands for: one log stream's [First, Last], ingested no later than
/// <paramref name="IngestedBy"/> (the end of the signal's debounce window, on the signal function's clock).
/// </summary>
public readonly record struct DataRange(string? LogStream, long First, long Last, long IngestedBy);
