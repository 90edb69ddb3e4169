namespace FlowLogEvents.Exports;

/// <summary>
/// A window recorded before its export task is created, so that a restart looks for the same
/// deterministic <see cref="TaskName"/> instead of creating a second task.
/// </summary>
public sealed record InFlightExport
{
    public required string TaskName { get; init; }

    /// <summary>Inclusive bounds, epoch milliseconds.</summary>
    public required long From { get; init; }

    public required long To { get; init; }

    /// <summary>1 for the first task of this window, +1 after each FAILED or CANCELLED task (a split window's halves start at 1).</summary>
    public required int Attempt { get; init; }

    public required DateTimeOffset PlannedAt { get; init; }

    /// <summary>Set once CreateExportTask answered (or a task with our name was found).</summary>
    public string? TaskId { get; init; }

    /// <summary>
    /// When <see cref="TaskId"/> was recorded. DescribeExportTasks may not show a task right after its creation (AWS
    /// promises no read-after-create): an id it does not know is waited for until <see cref="ExportPolicy.UnknownTaskGrace"/>
    /// after this instant (or after <see cref="ClaimedAt"/> when this is absent). Optional in schema-1 objects.
    /// </summary>
    public DateTimeOffset? TaskRecordedAt { get; init; }

    /// <summary>
    /// True while no CreateExportTask can have been sent for <see cref="TaskName"/>: a window recorded unclaimed (the rest
    /// of a split, a retry's next attempt, a queued late range), or a claim released because the service answered that it
    /// created nothing and no earlier request had been sent. Such a name is never searched for: it cannot exist. Cleared
    /// by the claim, before the request is sent. Absent (false: may have been sent, searched) in objects written before it
    /// was kept.
    /// </summary>
    public bool Unsent { get; init; }

    /// <summary>
    /// Set by the runner that won the compare-and-swap to create the task; only that runner calls
    /// CreateExportTask. Cleared when the service definitely did not create it.
    /// </summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>Set only on a late range's re-export: the log stream (CreateExportTask's logStreamNamePrefix).</summary>
    public string? LogStream { get; init; }

    /// <summary>
    /// Set only on a late range's re-export: the ingestion bound of the signal that brought it, part of the task name,
    /// so that the re-export of a second delivery with the same range never adopts the first one's task. Absent in
    /// entries written before it was kept.
    /// </summary>
    public long? IngestedBy { get; init; }
}
