namespace FlowLogEvents.Exports;

/// <summary>What happens to events that arrive for a range already exported (later than the settle delay).</summary>
public enum LateEventsMode
{
    /// <summary>Count, log with stream and range, raise the LateSignals metric (and its alarm).</summary>
    Report,

    /// <summary>Report, and export the stream's late range again into the late prefix.</summary>
    Reexport,
}
