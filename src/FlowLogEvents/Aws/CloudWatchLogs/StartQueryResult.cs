namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record StartQueryResult(string? QueryId);
