namespace FlowLogEvents.Exports.StateMachine;

/// <summary>The one thing the export state machine asks its shell to do next (see <see cref="ExportStateMachine"/>).</summary>
public enum ExportStepKind
{
    /// <summary>Exported through the target, nothing in flight, nothing queued: the work is done.</summary>
    Done,

    /// <summary>Nothing to do now (data not settled, a claim held by another runner, a task still active or not visible yet): come back later.</summary>
    Wait,

    /// <summary>Record the next regular window, claimed, then create its task (<see cref="ExportStep.Next"/>).</summary>
    PlanWindow,

    /// <summary>Ask DescribeExportTasks for the recorded task id, then decide again with what it answered.</summary>
    DescribeTask,

    /// <summary>Search the export's task by its deterministic name, then decide again with what was found.</summary>
    SearchTask,

    /// <summary>Record the task found by name (<see cref="ExportStep.Next"/>).</summary>
    AdoptTask,

    /// <summary>Claim the export (<see cref="ExportStep.Next"/>), then create its task; on a definite "not created" the claim is released.</summary>
    ClaimTask,

    /// <summary>The task COMPLETED: advance the checkpoint (a regular window) or drop the export from the queue (a late one).</summary>
    Advance,

    /// <summary>The task FAILED or was CANCELLED: the same range again as a new attempt (also at the floor, alarmed).</summary>
    RetryNewAttempt,

    /// <summary>The task FAILED or was CANCELLED again: its range cut into two halves, exported in order.</summary>
    SplitWindow,

    /// <summary>A state no run can go on from (a recorded task CloudWatch Logs does not know): the work is set aside.</summary>
    SetAside,
}
