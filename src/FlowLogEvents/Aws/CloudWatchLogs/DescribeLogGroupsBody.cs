namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed record DescribeLogGroupsBody(string? LogGroupNamePrefix, string? NextToken);
