namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// One log event that moto accepted through the front, with the instant (shared clock, epoch ms) it was ingested, the
/// instant it becomes available to export tasks (<see cref="AvailableAt"/>) and the instant FilterLogEvents and Logs
/// Insights first see it (<see cref="VisibleAt"/>); both default to the ingestion instant. <see cref="Sequence"/> orders
/// events in arrival order across the front (it stands for the PutLogEvents request id in FilterLogEvents' order).
/// </summary>
public sealed record IngestedEvent(string LogStreamName, long Timestamp, string Message, long IngestedAt)
{
    public long AvailableAt { get; init; } = IngestedAt;

    public long VisibleAt { get; init; } = IngestedAt;

    public long Sequence { get; init; }
}
