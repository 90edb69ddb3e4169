using System.Text.Json.Serialization;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>AWS JSON 1.1 bodies: camelCase members, absent rather than null optionals. Source generated, so trim/AOT safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateExportTaskRequest))]
[JsonSerializable(typeof(CreateExportTaskResult))]
[JsonSerializable(typeof(DescribeExportTasksRequest))]
[JsonSerializable(typeof(DescribeExportTasksResult))]
[JsonSerializable(typeof(TaskIdBody))]
[JsonSerializable(typeof(DescribeLogGroupsBody))]
[JsonSerializable(typeof(DescribeLogGroupsResponse))]
[JsonSerializable(typeof(LogGroupNameBody))]
[JsonSerializable(typeof(LogStreamBody))]
[JsonSerializable(typeof(PutLogEventsBody))]
[JsonSerializable(typeof(PutLogEventsResponse))]
[JsonSerializable(typeof(FilterLogEventsRequest))]
[JsonSerializable(typeof(FilterLogEventsResponse))]
[JsonSerializable(typeof(StartQueryRequest))]
[JsonSerializable(typeof(StartQueryResult))]
[JsonSerializable(typeof(QueryIdBody))]
[JsonSerializable(typeof(GetQueryResultsResponse))]
internal sealed partial class CloudWatchLogsJsonContext : JsonSerializerContext;
