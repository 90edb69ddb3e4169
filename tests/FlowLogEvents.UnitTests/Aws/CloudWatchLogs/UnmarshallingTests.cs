using System.Net;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class UnmarshallingTests
{
    [Fact]
    public async Task DescribeExportTasksAsync_ApiReferenceShapedResponse_MapsEveryField()
    {
        // Shape of the DescribeExportTasks example in the CloudWatch Logs API reference, plus a completed task.
        const string body = """
            {
              "exportTasks": [
                {
                  "destination": "my-exported-logs",
                  "destinationPrefix": "export-task-output",
                  "executionInfo": { "creationTime": 1441495400000 },
                  "from": 1441490400000,
                  "logGroupName": "my-log-group",
                  "status": { "code": "RUNNING", "message": "Started Successfully" },
                  "taskId": "efb0e5c1-5bc0-4c52-9a2a-6f8f7d0e31a1",
                  "taskName": "my-log-group-09-10-2015",
                  "to": 1441494000000
                },
                {
                  "taskId": "t2",
                  "from": 1, "to": 2,
                  "status": { "code": "COMPLETED" },
                  "executionInfo": { "creationTime": 10, "completionTime": 20 }
                }
              ],
              "nextToken": "next-page"
            }
            """;
        using var server = new StubLogsServer(HttpStatusCode.OK, body);
        using var client = server.CreateClient();

        var response = await client.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None);

        Assert.Equal("next-page", response.NextToken);
        Assert.Equal(
            [
                new ExportTask
                {
                    TaskId = "efb0e5c1-5bc0-4c52-9a2a-6f8f7d0e31a1",
                    TaskName = "my-log-group-09-10-2015",
                    LogGroupName = "my-log-group",
                    From = 1441490400000,
                    To = 1441494000000,
                    Destination = "my-exported-logs",
                    DestinationPrefix = "export-task-output",
                    StatusCode = "RUNNING",
                    StatusMessage = "Started Successfully",
                    CreationTime = 1441495400000,
                    CompletionTime = null,
                },
                new ExportTask { TaskId = "t2", From = 1, To = 2, StatusCode = "COMPLETED", CreationTime = 10, CompletionTime = 20 },
            ],
            response.ExportTasks);
    }

    [Fact]
    public async Task DescribeExportTasksAsync_EmptyObject_ReturnsNoTasksAndNoToken()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, "{}");
        using var client = server.CreateClient();

        var response = await client.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None);

        Assert.Empty(response.ExportTasks);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task DescribeLogGroupsAsync_Response_MapsGroupsAndIgnoresUnmodelledMembers()
    {
        const string body = """
            {"logGroups":[{"logGroupName":"/vpc/flow","creationTime":1700000000000,"retentionInDays":14,"metricFilterCount":0,
              "arn":"arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow:*","storedBytes":2048,"logGroupClass":"STANDARD"},
              {"logGroupName":"/other","creationTime":5}],
             "nextToken":"tok"}
            """;
        using var server = new StubLogsServer(HttpStatusCode.OK, body);
        using var client = server.CreateClient();

        var response = await client.DescribeLogGroupsAsync(null, null, CancellationToken.None);

        Assert.Equal(
            [
                new LogGroup
                {
                    LogGroupName = "/vpc/flow",
                    Arn = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow:*",
                    CreationTime = 1700000000000,
                    RetentionInDays = 14,
                    StoredBytes = 2048,
                },
                new LogGroup { LogGroupName = "/other", CreationTime = 5 },
            ],
            response.LogGroups);
        Assert.Equal("tok", response.NextToken);
    }

    [Fact]
    public async Task PutLogEventsAsync_RejectedInfo_MapsIndexes()
    {
        const string body = """
            {"nextSequenceToken":"4958","rejectedLogEventsInfo":{"tooNewLogEventStartIndex":3,"tooOldLogEventEndIndex":1,"expiredLogEventEndIndex":0}}
            """;
        using var server = new StubLogsServer(HttpStatusCode.OK, body);
        using var client = server.CreateClient();

        var response = await client.PutLogEventsAsync("/g", "s", [new InputLogEvent(1, "m")], CancellationToken.None);

        Assert.Equal(
            new PutLogEventsResponse
            {
                NextSequenceToken = "4958",
                RejectedLogEventsInfo = new RejectedLogEventsInfo { TooNewLogEventStartIndex = 3, TooOldLogEventEndIndex = 1, ExpiredLogEventEndIndex = 0 },
            },
            response);
    }

    [Fact]
    public async Task FilterLogEventsAsync_Response_MapsEvents()
    {
        const string body = """
            {"events":[{"logStreamName":"eni-1-all","timestamp":1700000000000,"message":"2 123 eni-1 OK","ingestionTime":1700000001000,"eventId":"3719"}],
             "searchedLogStreams":[{"logStreamName":"eni-1-all","searchedCompletely":true}],"nextToken":"more"}
            """;
        using var server = new StubLogsServer(HttpStatusCode.OK, body);
        using var client = server.CreateClient();

        var response = await client.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = "/g" }, CancellationToken.None);

        var only = Assert.Single(response.Events);
        Assert.Equal(
            new FilteredLogEvent { LogStreamName = "eni-1-all", Timestamp = 1700000000000, Message = "2 123 eni-1 OK", IngestionTime = 1700000001000, EventId = "3719" },
            only);
        Assert.Equal("more", response.NextToken);
    }

    [Fact]
    public async Task CreateLogGroupAsync_EmptyBody_Completes()
    {
        using var server = new StubLogsServer(HttpStatusCode.OK, string.Empty);
        using var client = server.CreateClient();

        await client.CreateLogGroupAsync("/g", CancellationToken.None);

        Assert.Single(server.Requests);
    }
}
