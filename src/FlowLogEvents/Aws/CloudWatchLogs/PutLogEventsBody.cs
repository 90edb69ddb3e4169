namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record PutLogEventsBody(string LogGroupName, string LogStreamName, IReadOnlyList<InputLogEvent> LogEvents);
