namespace FlowLogEvents.Exports;

/// <summary>
/// What happens to events an export missed: arrived later than the settle delay for a range already exported, or not yet
/// available for export when the task read its range. The verification of every window finds both.
/// </summary>
public enum LateEventsMode
{
    /// <summary>Verification finds them and reports them (stream, range, count; metric and alarm), writes nothing.</summary>
    Report,

    /// <summary>
    /// Legacy (before verification): report, and export the stream's late range again into the late prefix, which copies
    /// that range's on-time records a second time. Windows are still verified; the re-exports are not.
    /// </summary>
    Reexport,

    /// <summary>The default: verification finds exactly the missing events and writes only those, beside the window's output.</summary>
    Repair,
}
