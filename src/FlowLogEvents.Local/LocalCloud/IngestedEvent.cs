namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One log event that moto accepted through the front, with the instant (shared clock, epoch ms) it was ingested.</summary>
public sealed record IngestedEvent(string LogStreamName, long Timestamp, string Message, long IngestedAt);
