namespace FlowLogEvents.Local.Harness;

/// <summary>A start-over of one log group: when its checkpoint and then its marker were deleted (cloud clock).</summary>
internal sealed record StartOver(string LogGroup, DateTimeOffset CheckpointDeletedAt, DateTimeOffset MarkerDeletedAt);
