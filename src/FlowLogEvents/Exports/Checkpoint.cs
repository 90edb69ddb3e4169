namespace FlowLogEvents.Exports;

/// <summary>
/// The export state of one log group, stored as one JSON object (see <see cref="CheckpointJson"/>).
/// Everything at or before <see cref="ExportedThrough"/> has been exported by a COMPLETED task
/// (or lies before the configured start). At most one window is in flight.
/// </summary>
public sealed record Checkpoint
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string LogGroup { get; init; }

    /// <summary>The first millisecond this log group's exports cover.</summary>
    public required long StartTime { get; init; }

    /// <summary>Inclusive: the last exported millisecond. StartTime - 1 before the first export.</summary>
    public required long ExportedThrough { get; init; }

    public InFlightExport? InFlight { get; init; }

    public CompletedExport? LastCompleted { get; init; }

    public long ExportsCompleted { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public static Checkpoint Start(string logGroup, long startTime, DateTimeOffset now) =>
        new() { LogGroup = logGroup, StartTime = startTime, ExportedThrough = startTime - 1, UpdatedAt = now };
}

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

    /// <summary>1 for the first task of this window, +1 after each FAILED or CANCELLED task.</summary>
    public required int Attempt { get; init; }

    public required DateTimeOffset PlannedAt { get; init; }

    /// <summary>Set once CreateExportTask answered (or a task with our name was found).</summary>
    public string? TaskId { get; init; }

    /// <summary>
    /// Set by the runner that won the compare-and-swap to create the task; only that runner calls
    /// CreateExportTask. Cleared when the service definitely did not create it.
    /// </summary>
    public DateTimeOffset? ClaimedAt { get; init; }
}

public sealed record CompletedExport(string TaskId, string TaskName, long From, long To, DateTimeOffset CompletedAt);

/// <summary>A checkpoint object that cannot be read; it is never overwritten by a guess.</summary>
public sealed class CheckpointFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A checkpoint that must exist is gone: deleted while in use (a conditional write answered 404
/// NoSuchKey, or a re-read found nothing), or a continuation arrived for a log group without one.
/// The exported-through position is lost with it; it is never recreated from a guess.
/// </summary>
public sealed class CheckpointMissingException(string message) : Exception(message);
