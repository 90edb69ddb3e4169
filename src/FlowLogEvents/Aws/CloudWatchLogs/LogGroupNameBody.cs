namespace FlowLogEvents.Aws.CloudWatchLogs;

// Bodies whose shape differs from the public model (or that have no public type).
internal sealed record LogGroupNameBody(string LogGroupName);
