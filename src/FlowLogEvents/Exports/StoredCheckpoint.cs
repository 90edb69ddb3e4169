namespace FlowLogEvents.Exports;

/// <summary>A stored checkpoint and the version (S3 ETag) it was read at.</summary>
public sealed record StoredCheckpoint(Checkpoint Value, string ETag);
