namespace FlowLogEvents.Exports;

/// <summary>An export task as DescribeExportTasks shows it.</summary>
/// <param name="Destination">The S3 bucket it exports to.</param>
/// <param name="DestinationPrefix">The key prefix it exports under (as given to CreateExportTask).</param>
/// <param name="CreationTime">When the service created it, epoch ms (CloudWatch's clock).</param>
public sealed record ExportTaskInfo(
    string TaskId,
    string TaskName,
    ExportTaskStatus Status,
    string? StatusMessage,
    string? Destination = null,
    string? DestinationPrefix = null,
    long? CreationTime = null)
{
    /// <summary>Whether it exports to <paramref name="bucket"/> under <paramref name="prefix"/> (slashes at either end ignored).</summary>
    public bool ExportsTo(string bucket, string prefix) =>
        string.Equals(Destination, bucket, StringComparison.Ordinal)
        && string.Equals(DestinationPrefix?.Trim('/'), prefix.Trim('/'), StringComparison.Ordinal);
}
