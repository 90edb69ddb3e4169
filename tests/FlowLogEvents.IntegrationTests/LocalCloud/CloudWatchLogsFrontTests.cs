using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>The front between our CloudWatch Logs client and moto_server, with export tasks on a manual clock.</summary>
[Trait("Category", "Integration")]
public sealed partial class CloudWatchLogsFrontTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Stream = "eni-0a1b2c3d4e5f60718-all";
    private static readonly ExportTaskTiming Timing = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10));

    private sealed record Arranged(CloudWatchLogsFront Front, CloudWatchLogsClient Logs, AmazonS3Client S3, ManualTimeProvider Clock, string Group, string Bucket, long T0)
        : IAsyncDisposable
    {
        public CreateExportTaskRequest Export(long from, long to, string prefix = "exports") => new()
        {
            TaskName = "task-" + from,
            LogGroupName = Group,
            From = from,
            To = to,
            Destination = Bucket,
            DestinationPrefix = prefix,
        };

        public async ValueTask DisposeAsync()
        {
            Logs.Dispose();
            S3.Dispose();
            await Front.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z .+$")]
    private static partial Regex ExportLine();

    [Fact]
    public async Task PutSubscriptionFilter_ThirdFilterOnALogGroup_400LimitExceededInTheLogsErrorShape()
    {
        await using var a = await ArrangeAsync();
        using var http = new HttpClient();

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var name in new[] { "other-tool", "flowlogevents", "third" })
        {
            answers.Add(await SendAsync(http, a.Front, "PutSubscriptionFilter", $$"""{"logGroupName":"{{a.Group}}","filterName":"{{name}}","filterPattern":"","destinationArn":"arn:aws:lambda:us-east-1:123456789012:function:fle-signal"}"""));
        }

        var missing = await SendAsync(http, a.Front, "PutSubscriptionFilter", """{"logGroupName":"/vpc/none","filterName":"f","filterPattern":"","destinationArn":"arn:aws:lambda:us-east-1:123456789012:function:fle-signal"}""");

        Assert.Equal((HttpStatusCode.OK, "{}"), answers[0]);
        Assert.Equal((HttpStatusCode.OK, "{}"), answers[1]);
        Assert.Equal((HttpStatusCode.BadRequest, """{"__type":"LimitExceededException","message":"Resource limit exceeded."}"""), answers[2]);
        Assert.Equal((HttpStatusCode.BadRequest, """{"__type":"ResourceNotFoundException","message":"The specified log group does not exist."}"""), missing);
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient http, CloudWatchLogsFront front, string operation, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, front.Endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328." + operation);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIDTEST/20261126/{MotoServer.Region}/logs/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A front on a manual clock at 2026-11-26T15:00Z, a log group with one stream and a bucket in moto. T0 is 3 h before real now (moto's window).</summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var realNow = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var t0 = realNow - (realNow % 60_000) - (3 * 3_600_000);
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var front = await CloudWatchLogsFront.StartAsync(moto.Endpoint, clock, Timing);
        var logs = new CloudWatchLogsClient(AwsTestClients.Credentials, new CloudWatchLogsConfig { ServiceURL = front.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region });
        var s3 = AwsTestClients.S3(moto);
        var group = $"/vpc/front-{id}";
        var bucket = $"front-{id}";
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketPolicyAsync(bucket, LocalCloudResources.ExportBucketPolicy(bucket, "*"));
        await logs.CreateLogGroupAsync(group, CancellationToken.None);
        await logs.CreateLogStreamAsync(group, Stream, CancellationToken.None);
        return new Arranged(front, logs, s3, clock, group, bucket, t0);
    }

    private static async Task<ExportTask> DescribeAsync(Arranged env, string taskId) =>
        Assert.Single((await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = taskId }, CancellationToken.None)).ExportTasks);

    private static async Task<List<string>> LinesAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static async Task<List<string>> KeysAsync(AmazonS3Client s3, string bucket) =>
        ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task CreateExportTask_WhileATaskIsActive_ThrowsLimitExceededUntilThatTaskCompletes()
    {
        await using var env = await ArrangeAsync();
        var first = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0 + 60_000), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<LimitExceededException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0 + 60_001, env.T0 + 120_000), CancellationToken.None));
        env.Clock.Advance(TimeSpan.FromSeconds(60));
        var second = await env.Logs.CreateExportTaskAsync(env.Export(env.T0 + 60_001, env.T0 + 120_000), CancellationToken.None);

        Assert.Equal(("LimitExceededException", "Resource limit exceeded.", HttpStatusCode.BadRequest), (refused.ErrorCode, refused.Message, refused.StatusCode));
        Assert.NotEqual(first, second);
        Assert.Equal("COMPLETED", (await DescribeAsync(env, first)).StatusCode);
        Assert.Equal((2, 1, 1, 1), (env.Front.Stats.Created, env.Front.Stats.Completed, env.Front.Stats.LimitExceededAnswers, env.Front.Stats.Active));
    }

    [Fact]
    public async Task DescribeExportTasks_AsTheManualClockAdvances_ShowsPendingThenRunningThenCompleted()
    {
        await using var env = await ArrangeAsync();
        await env.Logs.PutLogEventsAsync(env.Group, Stream, [new(env.T0, "a"), new(env.T0 + 1, "b"), new(env.T0 + 2, "c")], CancellationToken.None);
        var created = env.Clock.NowMillis;
        var taskId = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0 + 2), CancellationToken.None);

        var observed = new List<(string?, long?)>();
        // Running lasts 40 s + 10 s x 3/1000 = 40.030 s after 20 s pending.
        foreach (var at in new[] { 0, 19_999, 20_000, 60_029, 60_030 })
        {
            env.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(created + at));
            var task = await DescribeAsync(env, taskId);
            observed.Add((task.StatusCode, task.CompletionTime));
        }

        Assert.Equal([("PENDING", null), ("PENDING", null), ("RUNNING", null), ("RUNNING", null), ("COMPLETED", created + 60_030)], observed);
        var described = await DescribeAsync(env, taskId);
        Assert.Equal(
            (taskId, "task-" + env.T0, env.Group, env.T0, env.T0 + 2, env.Bucket, "exports", "Completed successfully", created),
            (described.TaskId, described.TaskName, described.LogGroupName, described.From, described.To, described.Destination, described.DestinationPrefix, described.StatusMessage, described.CreationTime));
        Assert.Equal((2, 2, 1, 0), (env.Front.Stats.SeenPending, env.Front.Stats.SeenRunning, env.Front.Stats.Completed, env.Front.Stats.Active));
    }

    [Fact]
    public async Task CompletedTask_Output_HasAwsLayoutLineFormatInclusiveBoundsAndOnlyEventsIngestedBeforeTheSnapshot()
    {
        await using var env = await ArrangeAsync();
        var (from, to) = (env.T0 + 1_000, env.T0 + 61_000);
        await env.Logs.CreateLogStreamAsync(env.Group, "eni-second-all", CancellationToken.None);
        await env.Logs.PutLogEventsAsync(
            env.Group,
            Stream,
            [new(from - 1, "before from"), new(from, "at from"), new(from + 30_000, "inside 2 123456789012 eni-0a1b 10.0.0.5"), new(to, "at to"), new(to + 1, "after to")],
            CancellationToken.None);
        await env.Logs.PutLogEventsAsync(env.Group, "eni-second-all", [new(from + 5, "second stream")], CancellationToken.None);
        env.Clock.Advance(TimeSpan.FromSeconds(1));

        var taskId = await env.Logs.CreateExportTaskAsync(env.Export(from, to, "flow/exports"), CancellationToken.None);
        var keysAtCreation = await KeysAsync(env.S3, env.Bucket);
        env.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await env.Logs.PutLogEventsAsync(env.Group, Stream, [new(from + 10, "ingested after the snapshot")], CancellationToken.None);
        env.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("COMPLETED", (await DescribeAsync(env, taskId)).StatusCode);
        Assert.Equal(["flow/exports/aws-logs-write-test"], keysAtCreation);
        Assert.Equal(
            new[] { "flow/exports/aws-logs-write-test", $"flow/exports/{taskId}/{Stream}/000000.gz", $"flow/exports/{taskId}/eni-second-all/000000.gz" }.Order(StringComparer.Ordinal),
            await KeysAsync(env.S3, env.Bucket));
        using (var writeTest = await env.S3.GetObjectAsync(env.Bucket, "flow/exports/aws-logs-write-test"))
        using (var reader = new StreamReader(writeTest.ResponseStream))
        {
            Assert.Equal("Permission Check Successful", await reader.ReadToEndAsync());
        }

        var lines = await LinesAsync(env.S3, env.Bucket, $"flow/exports/{taskId}/{Stream}/000000.gz");
        Assert.Equal(
            new[] { ExportOutput.Line(from, "at from"), ExportOutput.Line(from + 30_000, "inside 2 123456789012 eni-0a1b 10.0.0.5"), ExportOutput.Line(to, "at to") }.Order(StringComparer.Ordinal),
            lines.Order(StringComparer.Ordinal));
        Assert.All(lines, line => Assert.Matches(ExportLine(), line));
        Assert.Contains(
            DateTimeOffset.FromUnixTimeMilliseconds(from).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) + " at from",
            lines);
        Assert.Equal([ExportOutput.Line(from + 5, "second stream")], await LinesAsync(env.S3, env.Bucket, $"flow/exports/{taskId}/eni-second-all/000000.gz"));
    }

    [Fact]
    public async Task Passthrough_LogOperationsThroughTheFront_ReachMotoAndAreRecordedWithIngestionInstants()
    {
        await using var env = await ArrangeAsync();
        using var direct = AwsTestClients.Logs(moto);

        var put = await env.Logs.PutLogEventsAsync(env.Group, Stream, [new(env.T0, "one"), new(env.T0 + 1, "two")], CancellationToken.None);
        var filtered = await env.Logs.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = env.Group, StartTime = env.T0, EndTime = env.T0 + 1 }, CancellationToken.None);
        var viaFront = await env.Logs.DescribeLogGroupsAsync(env.Group, null, CancellationToken.None);
        var viaMoto = await direct.DescribeLogGroupsAsync(env.Group, null, CancellationToken.None);
        var duplicate = await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => env.Logs.CreateLogGroupAsync(env.Group, CancellationToken.None));

        Assert.False(string.IsNullOrEmpty(put.NextSequenceToken));
        Assert.Equal([(Stream, env.T0, "one"), (Stream, env.T0 + 1, "two")], filtered.Events.Select(e => (e.LogStreamName, e.Timestamp, e.Message)).ToList());
        Assert.Equal([env.Group], viaFront.LogGroups.Select(g => g.LogGroupName).ToList());
        Assert.Equal(viaMoto.LogGroups.Select(g => (g.LogGroupName, g.CreationTime)), viaFront.LogGroups.Select(g => (g.LogGroupName, g.CreationTime)));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(
            [new IngestedEvent(Stream, env.T0, "one", env.Clock.NowMillis) { Sequence = 1 }, new IngestedEvent(Stream, env.T0 + 1, "two", env.Clock.NowMillis) { Sequence = 2 }],
            env.Front.IngestedEvents(env.Group));
    }

    [Fact]
    public async Task DescribeExportTasks_TaskIdStatusCodeAndPaging_FilterAndPageNewestFirst()
    {
        await using var env = await ArrangeAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await env.Logs.CreateExportTaskAsync(env.Export(env.T0 + (i * 1000), env.T0 + (i * 1000) + 999), CancellationToken.None));
            if (i < 3)
            {
                env.Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var page1 = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { Limit = 3 }, CancellationToken.None);
        var page2 = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { Limit = 3, NextToken = page1.NextToken }, CancellationToken.None);
        var completed = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { StatusCode = "COMPLETED" }, CancellationToken.None);
        var pending = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { StatusCode = "PENDING" }, CancellationToken.None);
        var byId = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = ids[1] }, CancellationToken.None);
        var unknown = await env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { TaskId = "no-such-task" }, CancellationToken.None);
        var badLimit = await Assert.ThrowsAsync<InvalidParameterException>(() => env.Logs.DescribeExportTasksAsync(new DescribeExportTasksRequest { Limit = 51 }, CancellationToken.None));

        Assert.Equal([ids[3], ids[2], ids[1]], page1.ExportTasks.Select(t => t.TaskId).ToList());
        Assert.NotNull(page1.NextToken);
        Assert.Equal([ids[0]], page2.ExportTasks.Select(t => t.TaskId).ToList());
        Assert.Null(page2.NextToken);
        Assert.Equal([ids[2], ids[1], ids[0]], completed.ExportTasks.Select(t => t.TaskId).ToList());
        Assert.Equal([ids[3]], pending.ExportTasks.Select(t => t.TaskId).ToList());
        Assert.Equal([(ids[1], "COMPLETED")], byId.ExportTasks.Select(t => (t.TaskId, t.StatusCode)).ToList());
        Assert.Empty(unknown.ExportTasks);
        Assert.Equal("InvalidParameterException", badLimit.ErrorCode);
    }

    [Fact]
    public async Task CancelExportTask_ActiveThenFinishedThenUnknown_CancelsThenRefusesAsAws()
    {
        await using var env = await ArrangeAsync();
        var taskId = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0 + 1000), CancellationToken.None);

        await env.Logs.CancelExportTaskAsync(taskId, CancellationToken.None);
        var again = await Assert.ThrowsAsync<CloudWatchLogsException>(() => env.Logs.CancelExportTaskAsync(taskId, CancellationToken.None));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => env.Logs.CancelExportTaskAsync("no-such-task", CancellationToken.None));
        var next = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0 + 1000), CancellationToken.None);

        Assert.Equal(("CANCELLED", env.Clock.NowMillis), ((await DescribeAsync(env, taskId)).StatusCode, (await DescribeAsync(env, taskId)).CompletionTime));
        Assert.Equal(("InvalidOperationException", HttpStatusCode.BadRequest), (again.ErrorCode, again.StatusCode));
        Assert.NotEqual(taskId, next);
        Assert.Equal((2, 1, 1), (env.Front.Stats.Created, env.Front.Stats.Cancelled, env.Front.Stats.Active));
    }

    [Fact]
    public async Task CreateExportTask_BucketPolicyWithoutCloudWatchLogs_RefusedAsAwsWithoutTakingTheSlot()
    {
        await using var env = await ArrangeAsync();
        await env.S3.DeleteBucketPolicyAsync(env.Bucket);

        var noPolicy = await Assert.ThrowsAsync<CloudWatchLogsException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0), CancellationToken.None));
        await env.S3.PutBucketPolicyAsync(env.Bucket, LocalCloudResources.ExportBucketPolicy(env.Bucket, "other"));
        var otherPrefix = await Assert.ThrowsAsync<CloudWatchLogsException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0), CancellationToken.None));
        await env.S3.PutBucketPolicyAsync(env.Bucket, LocalCloudResources.ExportBucketPolicy(env.Bucket, "exports"));
        var allowed = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0), CancellationToken.None);

        Assert.Equal(("AccessDeniedException", "GetBucketAcl call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation."), (noPolicy.ErrorCode, noPolicy.Message));
        Assert.Equal(("AccessDeniedException", "PutObject call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation."), (otherPrefix.ErrorCode, otherPrefix.Message));
        Assert.False(string.IsNullOrEmpty(allowed));
    }

    [Fact]
    public async Task CreateExportTask_InvalidRequests_AreRefusedAsAwsWithoutTakingTheSlot()
    {
        await using var env = await ArrangeAsync();

        var noGroup = await Assert.ThrowsAsync<ResourceNotFoundException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0) with { LogGroupName = "/no/such/group" }, CancellationToken.None));
        var noBucket = await Assert.ThrowsAsync<InvalidParameterException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0) with { Destination = "no-such-bucket-front" }, CancellationToken.None));
        var reversed = await Assert.ThrowsAsync<InvalidParameterException>(() => env.Logs.CreateExportTaskAsync(env.Export(env.T0 + 1, env.T0), CancellationToken.None));
        var afterwards = await env.Logs.CreateExportTaskAsync(env.Export(env.T0, env.T0), CancellationToken.None);

        Assert.Equal("The specified log group does not exist.", noGroup.Message);
        Assert.Equal("The given bucket does not exist. Please make sure the bucket is valid.", noBucket.Message);
        Assert.Contains("'from'", reversed.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(afterwards));
        Assert.Equal((1, 0), (env.Front.Stats.Created, env.Front.Stats.LimitExceededAnswers));
    }

    [Fact]
    public async Task Front_SimulatedClockAt200xAndConcurrentCreates_OneTaskWinsAndTheBackgroundLoopCompletesIt()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var clock = new SimulatedClock(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 200);
        await using var front = await CloudWatchLogsFront.StartAsync(moto.Endpoint, clock, ExportTaskTiming.Default);
        using var logs = new CloudWatchLogsClient(AwsTestClients.Credentials, new CloudWatchLogsConfig { ServiceURL = front.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region });
        using var s3 = AwsTestClients.S3(moto);
        var group = $"/vpc/sim-{id}";
        await s3.PutBucketAsync($"sim-{id}");
        await s3.PutBucketPolicyAsync($"sim-{id}", LocalCloudResources.ExportBucketPolicy($"sim-{id}", "*"));
        await logs.CreateLogGroupAsync(group, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await logs.CreateLogStreamAsync(group, $"eni-{i}-all", CancellationToken.None);
            await logs.PutLogEventsAsync(group, $"eni-{i}-all", [new(t0 + i, $"event {i}")], CancellationToken.None);
        }));
        var request = new CreateExportTaskRequest { TaskName = "sim", LogGroupName = group, From = t0, To = t0 + 10, Destination = $"sim-{id}" };

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try
            {
                return await logs.CreateExportTaskAsync(request, CancellationToken.None);
            }
            catch (LimitExceededException)
            {
                return null;
            }
        }));
        var winner = Assert.Single(attempts, a => a is not null);

        // 20 s pending + 40 s running simulated = 0.3 s real; nobody describes: the background loop completes it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (front.Stats.Completed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal((1, 1, 5, 0), (front.Stats.Created, front.Stats.Completed, front.Stats.LimitExceededAnswers, front.Stats.Active));
        Assert.Equal(8, (await KeysAsync(s3, $"sim-{id}")).Count(k => k.StartsWith($"exportedlogs/{winner}/", StringComparison.Ordinal)));
    }
}
