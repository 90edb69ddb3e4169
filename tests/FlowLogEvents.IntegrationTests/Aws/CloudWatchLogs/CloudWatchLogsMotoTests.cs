using Amazon.S3.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

[Trait("Category", "Integration")]
public sealed class CloudWatchLogsMotoTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private const string Prefix = "/cwl-moto-tests";
    private readonly CloudWatchLogsClient _client = AwsTestClients.Logs(moto);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task PutLogEvents_ThenFilterLogEvents_ReturnsThePutEvents()
    {
        const string group = Prefix + "/round-trip";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _client.CreateLogGroupAsync(group, CancellationToken.None);
        await _client.CreateLogStreamAsync(group, "eni-1-all", CancellationToken.None);

        await _client.PutLogEventsAsync(
            group, "eni-1-all", [new InputLogEvent(now - 2, "first"), new InputLogEvent(now - 1, "second \"quoted\"")], CancellationToken.None);
        var filtered = await _client.FilterLogEventsAsync(
            new FilterLogEventsRequest { LogGroupName = group, LogStreamNames = ["eni-1-all"], StartTime = now - 2, EndTime = now - 1 },
            CancellationToken.None);

        Assert.Equal(
            [("eni-1-all", now - 2, "first"), ("eni-1-all", now - 1, "second \"quoted\"")],
            filtered.Events.Select(e => (e.LogStreamName, e.Timestamp, e.Message)).ToArray());
        Assert.All(filtered.Events, e => Assert.False(string.IsNullOrEmpty(e.EventId)));
        Assert.Null(filtered.NextToken);
    }

    [Fact]
    public async Task DescribeLogGroups_WithPrefix_ListsOnlyMatchingGroups()
    {
        const string prefix = Prefix + "/describe/";
        await _client.CreateLogGroupAsync(prefix + "a", CancellationToken.None);
        await _client.CreateLogGroupAsync(prefix + "b", CancellationToken.None);

        var response = await _client.DescribeLogGroupsAsync(prefix, null, CancellationToken.None);

        Assert.Equal([prefix + "a", prefix + "b"], response.LogGroups.Select(g => g.LogGroupName).ToArray());
        Assert.All(response.LogGroups, g => Assert.StartsWith("arn:aws:logs:us-east-1:", g.Arn, StringComparison.Ordinal));
        Assert.All(response.LogGroups, g => Assert.True(g.CreationTime > 0));
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task CreateExportTask_IntoBucket_DescribeByTaskIdShowsCompleted()
    {
        const string group = Prefix + "/export";
        const string bucket = "cwl-moto-tests-export";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var s3 = AwsTestClients.S3(moto);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await _client.CreateLogGroupAsync(group, CancellationToken.None);
        await _client.CreateLogStreamAsync(group, "eni-2-all", CancellationToken.None);
        await _client.PutLogEventsAsync(group, "eni-2-all", [new InputLogEvent(now - 1000, "flow record")], CancellationToken.None);

        var taskId = await _client.CreateExportTaskAsync(
            new CreateExportTaskRequest
            {
                TaskName = "export-1",
                LogGroupName = group,
                From = now - 60_000,
                To = now,
                Destination = bucket,
                DestinationPrefix = "exports",
            },
            CancellationToken.None);
        var described = await _client.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = taskId }, CancellationToken.None);

        var task = Assert.Single(described.ExportTasks);
        Assert.Equal(
            (taskId, "export-1", group, now - 60_000, now, bucket, "exports", "COMPLETED"),
            (task.TaskId, task.TaskName, task.LogGroupName, task.From, task.To, task.Destination, task.DestinationPrefix, task.StatusCode));
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        // moto writes aws-logs-write-test at the bucket root and uses a random folder instead of the task id.
        Assert.Collection(
            objects.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal),
            key => Assert.Equal("aws-logs-write-test", key),
            key => Assert.Matches("^exports/[0-9a-f-]{36}/eni-2-all/000000\\.gz$", key));
    }

    [Fact]
    public async Task CreateLogStream_MissingLogGroup_ThrowsResourceNotFoundException()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => _client.CreateLogStreamAsync(Prefix + "/does-not-exist", "s", CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task CreateLogGroup_Twice_ThrowsResourceAlreadyExistsException()
    {
        const string group = Prefix + "/twice";
        await _client.CreateLogGroupAsync(group, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => _client.CreateLogGroupAsync(group, CancellationToken.None));

        Assert.Equal("ResourceAlreadyExistsException", error.ErrorCode);
    }
}
