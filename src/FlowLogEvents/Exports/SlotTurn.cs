namespace FlowLogEvents.Exports;

/// <summary>
/// The pure decision over which export of a log group goes next: the regular window or the first queued late export.
/// AWS runs one active export task per account, so the two take turns and neither starves the other.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>An export whose task may exist (its task id is recorded, or it is claimed) is followed to its end first: it
/// holds the slot, or will once created. The regular window wins a tie (a state no single runner writes).</item>
/// <item>With nothing queued the regular window goes; with no regular window ready (nothing in flight, and nothing to
/// plan now: exported through the target, or not settled yet) the late export goes, so waiting for the settle delay
/// costs the late queue nothing.</item>
/// <item>Both ready: the kind whose task did not end last goes (regular first when none has ended yet). A flood of
/// late ranges gets every other task, and so does a late range that keeps failing (after each failure the regular
/// window has a turn; its range is split like a window's, see <see cref="FailedWindowDecision"/>); a regular window
/// that keeps failing leaves every other turn to the late queue. A late range waits at most one regular task.</item>
/// </list>
/// Turns are fair but not needed for correctness: late exports are recorded in the checkpoint, and a log group is only
/// done when nothing is in flight and nothing is queued, so every queued export is driven by some message.
/// </remarks>
public static class SlotTurn
{
    /// <param name="inFlight">The regular window in flight, if any.</param>
    /// <param name="firstLate">The first queued late export, if any.</param>
    /// <param name="windowReady">Nothing in flight, and a new window can be planned now.</param>
    /// <param name="lastEnded">Which kind's task ended last; null when none has (or in checkpoints written before it was kept).</param>
    public static ExportKind Next(InFlightExport? inFlight, InFlightExport? firstLate, bool windowReady, ExportKind? lastEnded)
    {
        if (firstLate is null || (inFlight is not null && MayHaveTask(inFlight)))
        {
            return ExportKind.Regular;
        }

        if (MayHaveTask(firstLate) || (inFlight is null && !windowReady))
        {
            return ExportKind.Late;
        }

        return lastEnded == ExportKind.Regular ? ExportKind.Late : ExportKind.Regular;
    }

    private static bool MayHaveTask(InFlightExport export) => export.TaskId is not null || export.ClaimedAt is not null;
}
