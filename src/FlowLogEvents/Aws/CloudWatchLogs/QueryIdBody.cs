namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record QueryIdBody(string QueryId);
