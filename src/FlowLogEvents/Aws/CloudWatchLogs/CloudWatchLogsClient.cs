using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using static FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsOperations;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs client on AWSSDK.Core's pipeline, built the way generated v4 clients are: the SDK does credentials,
/// endpoint resolution, SigV4 signing, retries and error unmarshalling; this class supplies the JSON 1.1 bodies.
/// </summary>
public sealed class CloudWatchLogsClient : AmazonServiceClient, ICloudWatchLogsClient
{
    private static readonly CloudWatchLogsJsonContext Json = CloudWatchLogsJsonContext.Default;
    private static readonly OperationUnmarshaller<object> NoOutput = new(null);
    private static readonly OperationUnmarshaller<CreateExportTaskResult> CreateExportTaskOutput = new(Json.CreateExportTaskResult);
    private static readonly OperationUnmarshaller<DescribeExportTasksResult> DescribeExportTasksOutput = new(Json.DescribeExportTasksResult);
    private static readonly OperationUnmarshaller<DescribeLogGroupsResponse> DescribeLogGroupsOutput = new(Json.DescribeLogGroupsResponse);
    private static readonly OperationUnmarshaller<PutLogEventsResponse> PutLogEventsOutput = new(Json.PutLogEventsResponse);
    private static readonly OperationUnmarshaller<FilterLogEventsResponse> FilterLogEventsOutput = new(Json.FilterLogEventsResponse);
    private static readonly OperationUnmarshaller<StartQueryResult> StartQueryOutput = new(Json.StartQueryResult);
    private static readonly OperationUnmarshaller<GetQueryResultsResponse> GetQueryResultsOutput = new(Json.GetQueryResultsResponse);

    /// <summary>Credentials and region from the environment (default chains), endpoint from AWS_ENDPOINT_URL* if set.</summary>
    public CloudWatchLogsClient()
        : base(new CloudWatchLogsConfig())
    {
    }

    public CloudWatchLogsClient(CloudWatchLogsConfig config)
        : base(config)
    {
    }

    public CloudWatchLogsClient(AWSCredentials credentials, CloudWatchLogsConfig config)
        : base(credentials, config)
    {
    }

    public async Task<string> CreateExportTaskAsync(CreateExportTaskRequest request, CancellationToken ct)
    {
        var result = await InvokeAsync(CreateExportTask, request, Json.CreateExportTaskRequest, CreateExportTaskOutput, ct);
        return result?.TaskId ?? throw new AmazonClientException("CreateExportTask answered without a taskId.");
    }

    public async Task<DescribeExportTasksResponse> DescribeExportTasksAsync(DescribeExportTasksRequest request, CancellationToken ct)
    {
        var result = await InvokeAsync(DescribeExportTasks, request, Json.DescribeExportTasksRequest, DescribeExportTasksOutput, ct);
        return new DescribeExportTasksResponse
        {
            ExportTasks = result?.ExportTasks?.Select(static task => task.ToModel()).ToList() ?? [],
            NextToken = result?.NextToken,
        };
    }

    public Task CancelExportTaskAsync(string taskId, CancellationToken ct) =>
        InvokeAsync(CancelExportTask, new TaskIdBody(taskId), Json.TaskIdBody, NoOutput, ct);

    public async Task<DescribeLogGroupsResponse> DescribeLogGroupsAsync(string? logGroupNamePrefix, string? nextToken, CancellationToken ct) =>
        await InvokeAsync(DescribeLogGroups, new DescribeLogGroupsBody(logGroupNamePrefix, nextToken), Json.DescribeLogGroupsBody, DescribeLogGroupsOutput, ct)
        ?? new DescribeLogGroupsResponse();

    public Task CreateLogGroupAsync(string logGroupName, CancellationToken ct) =>
        InvokeAsync(CreateLogGroup, new LogGroupNameBody(logGroupName), Json.LogGroupNameBody, NoOutput, ct);

    public Task CreateLogStreamAsync(string logGroupName, string logStreamName, CancellationToken ct) =>
        InvokeAsync(CreateLogStream, new LogStreamBody(logGroupName, logStreamName), Json.LogStreamBody, NoOutput, ct);

    public async Task<PutLogEventsResponse> PutLogEventsAsync(
        string logGroupName, string logStreamName, IReadOnlyList<InputLogEvent> events, CancellationToken ct) =>
        await InvokeAsync(PutLogEvents, new PutLogEventsBody(logGroupName, logStreamName, events), Json.PutLogEventsBody, PutLogEventsOutput, ct)
        ?? new PutLogEventsResponse();

    public async Task<FilterLogEventsResponse> FilterLogEventsAsync(FilterLogEventsRequest request, CancellationToken ct) =>
        await InvokeAsync(FilterLogEvents, request, Json.FilterLogEventsRequest, FilterLogEventsOutput, ct)
        ?? new FilterLogEventsResponse();

    public async Task<string> StartQueryAsync(StartQueryRequest request, CancellationToken ct)
    {
        var result = await InvokeAsync(StartQuery, request, Json.StartQueryRequest, StartQueryOutput, ct);
        return result?.QueryId ?? throw new AmazonClientException("StartQuery answered without a queryId.");
    }

    public async Task<GetQueryResultsResponse> GetQueryResultsAsync(string queryId, CancellationToken ct) =>
        await InvokeAsync(GetQueryResults, new QueryIdBody(queryId), Json.QueryIdBody, GetQueryResultsOutput, ct)
        ?? new GetQueryResultsResponse();

    public Task StopQueryAsync(string queryId, CancellationToken ct) =>
        InvokeAsync(StopQuery, new QueryIdBody(queryId), Json.QueryIdBody, NoOutput, ct);

    protected override IServiceMetadata ServiceMetadata { get; } = new CloudWatchLogsMetadata();

    /// <summary>
    /// As generated v4 clients: our endpoint resolver replaces the default one and the auth-scheme handler picks SigV4.
    /// The retry handler is replaced by one whose policy treats CreateExportTask's LimitExceededException as final.
    /// </summary>
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new CloudWatchLogsEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new CloudWatchLogsAuthSchemeHandler());
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new CloudWatchLogsRetryPolicy(Config)));
    }

    private async Task<TResult?> InvokeAsync<TBody, TResult>(
        string operation, TBody body, JsonTypeInfo<TBody> bodyType, OperationUnmarshaller<TResult> unmarshaller, CancellationToken ct)
        where TBody : notnull
    {
        ArgumentNullException.ThrowIfNull(body);
        var options = new InvokeOptions { RequestMarshaller = OperationMarshaller.Instance, ResponseUnmarshaller = unmarshaller };
        var response = await InvokeAsync<OperationResponse<TResult>>(new OperationRequest(operation, body, bodyType), options, ct);
        return response.Result;
    }

    private sealed class CloudWatchLogsMetadata : IServiceMetadata
    {
        public string ServiceId => CloudWatchLogsConfig.ServiceIdentifier;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
    }
}
