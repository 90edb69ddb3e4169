namespace FlowLogEvents.Signals;

/// <summary>A FIFO message: body, group and deduplication id, and optional string attributes.</summary>
public sealed record QueueMessage(
    string Body,
    string GroupId,
    string DeduplicationId,
    IReadOnlyDictionary<string, string>? Attributes = null);
