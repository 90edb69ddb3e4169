namespace FlowLogEvents.Exports;

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
