using System.Net;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class RetryTests
{
    private const int MaxErrorRetry = 2;
    private const string LimitExceeded = """{"__type":"LimitExceededException","message":"Resource limit exceeded."}""";
    private const string Throttling = """{"__type":"ThrottlingException","message":"Rate exceeded"}""";

    private static readonly CreateExportTaskRequest Export = new() { TaskName = "t", LogGroupName = "g", From = 0, To = 1, Destination = "b" };

    [Fact]
    public async Task CreateExportTaskAsync_LimitExceeded_SurfacesOnFirstResponse()
    {
        using var server = new StubLogsServer(HttpStatusCode.BadRequest, LimitExceeded);
        using var client = server.CreateClient(MaxErrorRetry);

        var error = await Assert.ThrowsAsync<LimitExceededException>(() => client.CreateExportTaskAsync(Export, CancellationToken.None));

        Assert.Equal("Resource limit exceeded.", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CreateExportTaskAsync_Throttling_RetriedByStandardPolicy()
    {
        using var server = new StubLogsServer(HttpStatusCode.BadRequest, Throttling);
        using var client = server.CreateClient(MaxErrorRetry);

        var error = await Assert.ThrowsAsync<CloudWatchLogsException>(() => client.CreateExportTaskAsync(Export, CancellationToken.None));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(1 + MaxErrorRetry, server.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"__type":"ServiceUnavailableException","message":"try later"}""")]
    [InlineData(HttpStatusCode.InternalServerError, """{"__type":"InternalFailure","message":"oops"}""")]
    public async Task CreateExportTaskAsync_ServerError_NotRetried_TheTaskMayExist(HttpStatusCode status, string body)
    {
        // A 5xx may come after the service created the task (the response was lost on the way back). A retry would
        // create a second task for the same range once the first one has freed the slot: every record exported twice.
        using var server = new StubLogsServer(status, body);
        using var client = server.CreateClient(MaxErrorRetry);

        await Assert.ThrowsAnyAsync<CloudWatchLogsException>(() => client.CreateExportTaskAsync(Export, CancellationToken.None));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task DescribeExportTasksAsync_Throttling_RetriedMaxErrorRetryTimes()
    {
        using var server = new StubLogsServer(HttpStatusCode.BadRequest, Throttling);
        using var client = server.CreateClient(MaxErrorRetry);

        var error = await Assert.ThrowsAsync<CloudWatchLogsException>(
            () => client.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(1 + MaxErrorRetry, server.Requests.Count);
    }

    [Fact]
    public async Task CreateLogGroupAsync_LimitExceeded_RetriedByStandardPolicy()
    {
        using var server = new StubLogsServer(HttpStatusCode.BadRequest, LimitExceeded);
        using var client = server.CreateClient(MaxErrorRetry);

        await Assert.ThrowsAsync<LimitExceededException>(() => client.CreateLogGroupAsync("/g", CancellationToken.None));

        Assert.Equal(1 + MaxErrorRetry, server.Requests.Count);
    }

    [Fact]
    public async Task DescribeLogGroupsAsync_ServiceUnavailable503_RetriedMaxErrorRetryTimes()
    {
        using var server = new StubLogsServer(
            HttpStatusCode.ServiceUnavailable, """{"__type":"ServiceUnavailableException","message":"try later"}""");
        using var client = server.CreateClient(MaxErrorRetry);

        await Assert.ThrowsAsync<ServiceUnavailableException>(() => client.DescribeLogGroupsAsync(null, null, CancellationToken.None));

        Assert.Equal(1 + MaxErrorRetry, server.Requests.Count);
    }
}
