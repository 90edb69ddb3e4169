namespace FlowLogEvents.Exports;

/// <summary>
/// Plans the next export window of a log group. Windows are contiguous and never overlap: each
/// starts one millisecond after the last exported one (CreateExportTask's bounds are inclusive).
/// Nothing older than the checkpoint is skipped, however far behind it is.
/// </summary>
public static class WindowPlanner
{
    /// <param name="exportedThrough">Inclusive end of what is exported.</param>
    /// <param name="target">Inclusive end of what the pending signals ask to be exported.</param>
    /// <param name="now">Now, epoch milliseconds.</param>
    /// <returns>The window to export now, or null when it is better to wait.</returns>
    public static ExportWindow? Plan(long exportedThrough, long target, long now, ExportPolicy policy)
    {
        var from = exportedThrough + 1;
        var settledEnd = now - policy.PlanningLagMillis;
        if (target < from || settledEnd < from)
        {
            return null;
        }

        var to = Math.Min(settledEnd, from + (long)policy.MaxWindow.TotalMilliseconds - 1);
        var completesTarget = to >= target;
        var longEnough = to - from + 1 >= (long)policy.MinWindow.TotalMilliseconds;
        return completesTarget || longEnough ? new ExportWindow(from, to) : null;
    }

    /// <summary>
    /// Cuts a window into two contiguous halves, [From, mid] and [mid + 1, To]: inclusive bounds, so no millisecond is
    /// left out or exported twice; the first half takes the odd millisecond. Null when the second half would be shorter
    /// than <paramref name="minSpan"/> (or empty): the window is at the floor and cannot be cut further.
    /// </summary>
    public static (ExportWindow First, ExportWindow Second)? Split(ExportWindow window, TimeSpan minSpan)
    {
        var length = window.To - window.From + 1;
        var firstLength = length - (length / 2);
        var secondLength = length - firstLength;
        if (secondLength < 1 || secondLength < (long)minSpan.TotalMilliseconds)
        {
            return null;
        }

        var mid = window.From + firstLength - 1;
        return (new ExportWindow(window.From, mid), new ExportWindow(mid + 1, window.To));
    }
}
