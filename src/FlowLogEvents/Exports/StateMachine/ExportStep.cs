namespace FlowLogEvents.Exports.StateMachine;

/// <summary>
/// One step the export state machine decided (<see cref="ExportStateMachine.Decide"/>): what to do, on which export, and
/// the checkpoint to write with compare-and-swap when the step writes one. Only the fields of its kind are set.
/// </summary>
public sealed record ExportStep
{
    public required ExportStepKind Kind { get; init; }

    /// <summary>Which export the step acts on: the regular window or the first queued late export.</summary>
    public ExportKind Export { get; init; }

    /// <summary>The export as it stands in the checkpoint read (before the step).</summary>
    public InFlightExport? Subject { get; init; }

    /// <summary>The checkpoint to write (plan, claim, adopt, advance, retry, split).</summary>
    public Checkpoint? Next { get; init; }

    /// <summary>The task the step is about (adopt, advance, retry, split, a task still active).</summary>
    public ExportTaskInfo? Task { get; init; }

    /// <summary>Where the export's task writes (search, claim): the regular prefix, or the late prefix for a stream's re-export.</summary>
    public string? DestinationPrefix { get; init; }

    /// <summary>Claim: tasks of another destination that hold the export's name (reported; the claim renamed it).</summary>
    public IReadOnlyList<ExportTaskInfo> Foreign { get; init; } = [];

    /// <summary>Claim and plan: no CreateExportTask had been sent for the name before this claim (restored by a release).</summary>
    public bool UnsentBefore { get; init; }

    /// <summary>Retry and split: what became of the failed range.</summary>
    public FailedWindowDecision? Decision { get; init; }

    public WaitReason? WaitReason { get; init; }

    /// <summary>Wait: the outcome's reason. Set aside: the error's message.</summary>
    public string? Reason { get; init; }

    /// <summary>Wait for a task not visible yet: when its id was recorded (or claimed).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The name of the checkpoint write of this step, as conflicts are logged ("plan", "claim-late", ...).</summary>
    public string? WriteName { get; init; }
}
