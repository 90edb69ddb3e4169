namespace FlowLogEvents.Exports;

/// <summary>A stored checkpoint and the version (S3 ETag) it was read at.</summary>
public sealed record StoredCheckpoint(Checkpoint Value, string ETag);

/// <summary>Checkpoint storage with compare-and-swap writes.</summary>
public interface ICheckpointStore
{
    /// <summary>The checkpoint of a log group, or null when none exists yet.</summary>
    Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct);

    /// <summary>
    /// Writes <paramref name="checkpoint"/> if the stored version is still <paramref name="expectedETag"/>
    /// (null: only if no checkpoint exists). Returns the new version, or null when another writer
    /// got there first (412), in which case the caller re-reads and decides again. S3's 409
    /// ConditionalRequestConflict (a conditional write racing another) is not an answer: the store re-reads the
    /// version and retries while it is unchanged, a bounded number of times, then throws.
    /// </summary>
    /// <remarks>
    /// Throws <see cref="CheckpointMissingException"/> when <paramref name="expectedETag"/> is set but the
    /// object no longer exists (S3 answers 404 NoSuchKey to If-Match on a missing key; moto does too).
    /// </remarks>
    Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct);

    /// <summary>
    /// Copies the log group's stored object, byte for byte, to a quarantine key next to it and leaves the
    /// original in place. Idempotent per stored version. Returns the quarantine key, or null when no
    /// object exists any more.
    /// </summary>
    Task<string?> QuarantineAsync(string logGroup, CancellationToken ct);

    /// <summary>
    /// Leaves a small marker object next to the checkpoint saying the log group has been exported
    /// (create-only; a second call changes nothing; a 409 conflict is retried, never taken for "exists").
    /// It outlives an accidental delete of the checkpoint.
    /// </summary>
    Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct);

    /// <summary>Where the marker is when it exists (so a missing checkpoint is known to be lost, not new); else null.</summary>
    Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct);
}

public enum ExportTaskStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    PendingCancel,
}

/// <summary>An export task as DescribeExportTasks shows it.</summary>
/// <param name="Destination">The S3 bucket it exports to.</param>
/// <param name="DestinationPrefix">The key prefix it exports under (as given to CreateExportTask).</param>
/// <param name="CreationTime">When the service created it, epoch ms (CloudWatch's clock).</param>
public sealed record ExportTaskInfo(
    string TaskId,
    string TaskName,
    ExportTaskStatus Status,
    string? StatusMessage,
    string? Destination = null,
    string? DestinationPrefix = null,
    long? CreationTime = null)
{
    /// <summary>Whether it exports to <paramref name="bucket"/> under <paramref name="prefix"/> (slashes at either end ignored).</summary>
    public bool ExportsTo(string bucket, string prefix) =>
        string.Equals(Destination, bucket, StringComparison.Ordinal)
        && string.Equals(DestinationPrefix?.Trim('/'), prefix.Trim('/'), StringComparison.Ordinal);
}

/// <summary>What one CreateExportTask call asks for; <paramref name="LogStreamPrefix"/> only for a late range's re-export.</summary>
public sealed record ExportTaskSpec(string TaskName, string LogGroup, long From, long To, string Bucket, string Prefix, string? LogStreamPrefix = null);

/// <summary>CloudWatch Logs export tasks, as the export coordinator needs them.</summary>
public interface IExportTasks
{
    /// <summary>
    /// Creates the task and returns its id. Throws <see cref="ExportSlotBusyException"/> when another
    /// export task holds the account's single slot, <see cref="ExportRejectedException"/> when the
    /// service answered that it did not create the task for another reason.
    /// </summary>
    Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct);

    /// <summary>The task with this id, or null when the service does not know it.</summary>
    Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct);

    /// <summary>
    /// The tasks of this log group with this name created at or after <paramref name="createdSince"/> (CloudWatch's
    /// clock), newest first; empty when there are none. DescribeExportTasks lists tasks newest first, so the search
    /// ends at the first page of tasks all created before the bound, however long the account's task history is.
    /// A name cannot exist before its window was planned: the caller passes the planning instant minus the clock
    /// skew margin, and searches only for names a CreateExportTask may have been sent for.
    /// </summary>
    Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct);

    /// <summary>When the log group was created (epoch ms), or null when it does not exist.</summary>
    Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct);
}

/// <summary>CreateExportTask answered LimitExceededException: the account's one export slot is taken.</summary>
public sealed class ExportSlotBusyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// CreateExportTask answered with an error: the task was definitely not created. <see cref="Permanent"/>
/// when retrying the same request cannot succeed until someone changes something (the log group does
/// not exist, a parameter or the bucket policy is invalid); otherwise (throttling) a retry may.
/// </summary>
public sealed class ExportRejectedException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
