namespace FlowLogEvents.Local.Harness;

/// <summary>A log event as a subscription filter delivers it.</summary>
public sealed record SubscriptionEvent(string Id, long Timestamp, string Message);
