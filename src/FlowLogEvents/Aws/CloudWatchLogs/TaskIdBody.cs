namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record TaskIdBody(string TaskId);
