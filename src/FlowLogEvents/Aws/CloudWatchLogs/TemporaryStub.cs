// TEMPORARY: replaced by the real client from branch cwl.
#pragma warning disable
using System.Net;
namespace FlowLogEvents.Aws.CloudWatchLogs;
public class CloudWatchLogsException : Amazon.Runtime.AmazonServiceException { public CloudWatchLogsException(string m) : base(m) {} }
public sealed class LimitExceededException : CloudWatchLogsException { public LimitExceededException(string m) : base(m) {} }
public sealed class CreateExportTaskRequest { public string? TaskName {get;set;} public string LogGroupName {get;set;} = ""; public long From {get;set;} public long To {get;set;} public string Destination {get;set;} = ""; public string? DestinationPrefix {get;set;} }
public sealed class DescribeExportTasksRequest { public string? TaskId {get;set;} public string? StatusCode {get;set;} public string? NextToken {get;set;} public int? Limit {get;set;} }
public sealed class ExportTask { public string TaskId {get;set;} = ""; public string? TaskName {get;set;} public string? LogGroupName {get;set;} public string? StatusCode {get;set;} public string? StatusMessage {get;set;} public long? CreationTime {get;set;} }
public sealed class DescribeExportTasksResponse { public IReadOnlyList<ExportTask> ExportTasks {get;set;} = []; public string? NextToken {get;set;} }
public sealed class LogGroup { public string LogGroupName {get;set;} = ""; public long? CreationTime {get;set;} }
public sealed class DescribeLogGroupsResponse { public IReadOnlyList<LogGroup> LogGroups {get;set;} = []; public string? NextToken {get;set;} }
public interface ICloudWatchLogsClient {
  Task<string> CreateExportTaskAsync(CreateExportTaskRequest r, CancellationToken ct);
  Task<DescribeExportTasksResponse> DescribeExportTasksAsync(DescribeExportTasksRequest r, CancellationToken ct);
  Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(string? prefix, string? next, CancellationToken ct);
}
public sealed class CloudWatchLogsClient : ICloudWatchLogsClient {
  public Task<string> CreateExportTaskAsync(CreateExportTaskRequest r, CancellationToken ct) => throw new NotImplementedException();
  public Task<DescribeExportTasksResponse> DescribeExportTasksAsync(DescribeExportTasksRequest r, CancellationToken ct) => throw new NotImplementedException();
  public Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(string? prefix, string? next, CancellationToken ct) => throw new NotImplementedException();
}
