namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>Operation names; the X-Amz-Target header is <c>Logs_20140328.</c> followed by one of them.</summary>
internal static class CloudWatchLogsOperations
{
    public const string TargetPrefix = "Logs_20140328.";
    public const string CancelExportTask = nameof(CancelExportTask);
    public const string CreateExportTask = nameof(CreateExportTask);
    public const string CreateLogGroup = nameof(CreateLogGroup);
    public const string CreateLogStream = nameof(CreateLogStream);
    public const string DescribeExportTasks = nameof(DescribeExportTasks);
    public const string DescribeLogGroups = nameof(DescribeLogGroups);
    public const string FilterLogEvents = nameof(FilterLogEvents);
    public const string GetQueryResults = nameof(GetQueryResults);
    public const string PutLogEvents = nameof(PutLogEvents);
    public const string StartQuery = nameof(StartQuery);
    public const string StopQuery = nameof(StopQuery);
}
