using System.Net;
using System.Text;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class MarshallingTests
{
    [Fact]
    public void Marshall_CreateExportTask_WritesJson11PostWithTargetAndCamelCaseBody()
    {
        var request = OperationMarshaller.Instance.Marshall(new OperationRequest(
            CloudWatchLogsOperations.CreateExportTask,
            new CreateExportTaskRequest
            {
                TaskName = "flowlogs-1",
                LogGroupName = "/vpc/flow",
                LogStreamNamePrefix = "eni-",
                From = 1_700_000_000_000,
                To = 1_700_000_599_999,
                Destination = "archive-bucket",
                DestinationPrefix = "exports",
            },
            CloudWatchLogsJsonContext.Default.CreateExportTaskRequest));

        Assert.Equal("POST", request.HttpMethod);
        Assert.Equal("/", request.ResourcePath);
        Assert.Equal("Logs_20140328.CreateExportTask", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal(
            "{\"taskName\":\"flowlogs-1\",\"logGroupName\":\"/vpc/flow\",\"logStreamNamePrefix\":\"eni-\","
            + "\"from\":1700000000000,\"to\":1700000599999,\"destination\":\"archive-bucket\",\"destinationPrefix\":\"exports\"}",
            Encoding.UTF8.GetString(request.Content));
    }

    [Fact]
    public void Marshall_CreateExportTaskWithoutOptionals_OmitsThem()
    {
        var request = OperationMarshaller.Instance.Marshall(new OperationRequest(
            CloudWatchLogsOperations.CreateExportTask,
            new CreateExportTaskRequest { TaskName = "t", LogGroupName = "g", From = 0, To = 1, Destination = "b" },
            CloudWatchLogsJsonContext.Default.CreateExportTaskRequest));

        Assert.Equal(
            "{\"taskName\":\"t\",\"logGroupName\":\"g\",\"from\":0,\"to\":1,\"destination\":\"b\"}",
            Encoding.UTF8.GetString(request.Content));
    }

    [Fact]
    public async Task DescribeExportTasksAsync_ByTaskId_SendsTargetHeadersAndBody()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, "{\"exportTasks\":[]}");
        using var client = server.CreateClient();

        await client.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = "task-1", Limit = 50 }, CancellationToken.None);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/", sent.Path);
        Assert.Equal("Logs_20140328.DescribeExportTasks", sent.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", sent.Headers["Content-Type"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", sent.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/us-east-1/logs/aws4_request", sent.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("{\"taskId\":\"task-1\",\"limit\":50}", sent.Body);
    }

    [Fact]
    public async Task DescribeExportTasksAsync_ByStatusAndToken_SendsThemOnly()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, "{}");
        using var client = server.CreateClient();

        await client.DescribeExportTasksAsync(new DescribeExportTasksRequest { StatusCode = "RUNNING", NextToken = "n1" }, CancellationToken.None);

        Assert.Equal("{\"statusCode\":\"RUNNING\",\"nextToken\":\"n1\"}", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task CreateExportTaskAsync_ThroughClient_SendsBodyAndReturnsTaskId()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, "{\"taskId\":\"efb0e5c1-5bc0-4c52-9a2a-6f8f7d0e31a1\"}");
        using var client = server.CreateClient();

        var taskId = await client.CreateExportTaskAsync(
            new CreateExportTaskRequest { TaskName = "t", LogGroupName = "g", From = 5, To = 9, Destination = "b" }, CancellationToken.None);

        Assert.Equal("efb0e5c1-5bc0-4c52-9a2a-6f8f7d0e31a1", taskId);
        var sent = Assert.Single(server.Requests);
        Assert.Equal("Logs_20140328.CreateExportTask", sent.Headers["X-Amz-Target"]);
        Assert.Equal("{\"taskName\":\"t\",\"logGroupName\":\"g\",\"from\":5,\"to\":9,\"destination\":\"b\"}", sent.Body);
    }

    [Fact]
    public async Task OtherOperations_ThroughClient_SendWireMemberNames()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, "{}");
        using var client = server.CreateClient();

        await client.CancelExportTaskAsync("task-9", CancellationToken.None);
        await client.CreateLogGroupAsync("/g", CancellationToken.None);
        await client.CreateLogStreamAsync("/g", "s", CancellationToken.None);
        await client.DescribeLogGroupsAsync("/g", null, CancellationToken.None);
        await client.PutLogEventsAsync("/g", "s", [new InputLogEvent(1000, "a"), new InputLogEvent(1001, "b\"c")], CancellationToken.None);
        await client.FilterLogEventsAsync(
            new FilterLogEventsRequest { LogGroupName = "/g", LogStreamNames = ["s"], StartTime = 1, EndTime = 2, Limit = 10 }, CancellationToken.None);

        Assert.Equal(
            [
                "Logs_20140328.CancelExportTask {\"taskId\":\"task-9\"}",
                "Logs_20140328.CreateLogGroup {\"logGroupName\":\"/g\"}",
                "Logs_20140328.CreateLogStream {\"logGroupName\":\"/g\",\"logStreamName\":\"s\"}",
                "Logs_20140328.DescribeLogGroups {\"logGroupNamePrefix\":\"/g\"}",
                "Logs_20140328.PutLogEvents {\"logGroupName\":\"/g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":1000,\"message\":\"a\"},{\"timestamp\":1001,\"message\":\"b\\u0022c\"}]}",
                "Logs_20140328.FilterLogEvents {\"logGroupName\":\"/g\",\"logStreamNames\":[\"s\"],\"startTime\":1,\"endTime\":2,\"limit\":10}",
            ],
            server.Requests.Select(r => $"{r.Headers["X-Amz-Target"]} {r.Body}").ToArray());
    }
}
