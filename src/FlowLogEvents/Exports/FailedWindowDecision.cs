namespace FlowLogEvents.Exports;

/// <summary>
/// The pure decision over a failed window: retry it, cut it in two, or (at the floor) retry it and alarm. AWS export tasks
/// "time out after 24 hours. If your export tasks are timing out, reduce the time range" (CloudWatch Logs user guide):
/// retrying the same range for ever cannot succeed when the range holds too much data for one task.
/// </summary>
/// <param name="Next">The window the next task exports.</param>
/// <param name="SecondHalf">After a split: the window exported once <paramref name="Next"/> has completed.</param>
public readonly record struct FailedWindowDecision(FailedWindowAction Action, ExportWindow Next, ExportWindow? SecondHalf)
{
    /// <param name="failed">The window whose task failed.</param>
    /// <param name="failures">FAILED or CANCELLED tasks of exactly this range so far, the one just seen included (its attempt number).</param>
    public static FailedWindowDecision Decide(ExportWindow failed, int failures, ExportPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (failures < policy.FailuresBeforeSplit)
        {
            return new(FailedWindowAction.Retry, failed, null);
        }

        return WindowPlanner.Split(failed, policy.MinSplitWindow) is var (first, second)
            ? new(FailedWindowAction.Split, first, second)
            : new(FailedWindowAction.RetryAtFloor, failed, null);
    }
}
