namespace FlowLogEvents.Aws;

/// <summary>
/// A conditional PutObject answered 409 ConditionalRequestConflict on every attempt: another write of the key
/// kept conflicting. Not "the object exists" and not "another writer won": the write's outcome is unknown, so
/// the work fails and is retried (the SQS record is not deleted).
/// </summary>
public sealed class S3ConditionalConflictException(string message) : Exception(message);
