namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One subscription filter of a log group, as PutSubscriptionFilter set it.</summary>
public sealed record SubscriptionFilterView(string LogGroupName, string FilterName, string FilterPattern, string DestinationArn);
