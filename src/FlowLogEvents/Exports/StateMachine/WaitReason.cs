namespace FlowLogEvents.Exports.StateMachine;

/// <summary>Why the export state machine waits (<see cref="ExportStepKind.Wait"/>); each is logged with its own fields.</summary>
public enum WaitReason
{
    /// <summary>No regular window can be planned yet: the data is not settled.</summary>
    NotSettled,

    /// <summary>Another runner claimed the export within the claim lease and may be creating its task.</summary>
    ClaimedByAnother,

    /// <summary>The export's task is PENDING, RUNNING or PENDING_CANCEL.</summary>
    TaskActive,

    /// <summary>DescribeExportTasks does not show the recorded task yet, within <see cref="ExportPolicy.UnknownTaskGrace"/>.</summary>
    TaskNotVisibleYet,
}
