namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record LogStreamBody(string LogGroupName, string LogStreamName);
