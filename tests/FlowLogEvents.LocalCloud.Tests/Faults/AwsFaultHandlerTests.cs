using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Local.Faults;

namespace FlowLogEvents.Tests.Faults;

/// <summary>The injected errors are the services' real wire shapes: the SDKs parse them into the right exceptions and retry them.</summary>
public sealed class AwsFaultHandlerTests
{
    private const int MaxErrorRetry = 2;
    private static readonly BasicAWSCredentials Credentials = new("test", "test");

    [Fact]
    public async Task Sqs_InjectedErrors_AreSqsErrors_RetriedBySdk()
    {
        var (counters, inner, factory) = Build(new FaultOptions { AwsErrorRate = 1 });
        using (factory)
        using (var sqs = new AmazonSQSClient(Credentials, new AmazonSQSConfig { ServiceURL = "http://127.0.0.1:9/", AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = MaxErrorRetry }))
        {
            var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.SendMessageAsync(new SendMessageRequest("http://127.0.0.1:9/123456789012/q.fifo", "body") { MessageGroupId = "g", MessageDeduplicationId = "d" }));

            Assert.Contains(error.ErrorCode, new[] { "ThrottlingException", "ServiceUnavailable" });
        }

        Assert.Equal(1 + MaxErrorRetry, counters.Get("aws.error.sqs.SendMessage"));
        Assert.Equal(MaxErrorRetry, counters.Get("aws.retry.sqs.SendMessage"));
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task S3_InjectedErrors_AreS3Errors_RetriedBySdk()
    {
        var (counters, _, factory) = Build(new FaultOptions { AwsErrorRate = 1 });
        using (factory)
        using (var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = "http://127.0.0.1:9/", ForcePathStyle = true, AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = MaxErrorRetry }))
        {
            var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("bucket", "key"));

            Assert.Contains(error.ErrorCode, new[] { "SlowDown", "InternalError" });
        }

        Assert.Equal(1 + MaxErrorRetry, counters.Get("aws.error.s3.GetObject"));
    }

    [Fact]
    public async Task Logs_InjectedErrors_AreLogsErrors()
    {
        var (counters, _, factory) = Build(new FaultOptions { AwsErrorRate = 1 });
        using (factory)
        using (var logs = new CloudWatchLogsClient(Credentials, new CloudWatchLogsConfig { ServiceURL = "http://127.0.0.1:9/", AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = MaxErrorRetry }))
        {
            var error = await Assert.ThrowsAnyAsync<CloudWatchLogsException>(() => logs.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None));

            Assert.Contains(error.ErrorCode, new[] { "ThrottlingException", "ServiceUnavailableException" });
        }

        Assert.Equal(1 + MaxErrorRetry, counters.Get("aws.error.logs.DescribeExportTasks"));
    }

    [Fact]
    public async Task LostResponse_TheServiceActs_TheCallerSeesAnError()
    {
        var (counters, inner, factory) = Build(new FaultOptions { LostResponseRate = 1 });
        using (factory)
        using (var logs = new CloudWatchLogsClient(Credentials, new CloudWatchLogsConfig { ServiceURL = "http://127.0.0.1:9/", AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = MaxErrorRetry }))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => logs.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None));
        }

        Assert.Equal(1 + MaxErrorRetry, inner.Calls);
        Assert.Equal(1 + MaxErrorRetry, counters.LostResponses);
    }

    private static (FaultCounters Counters, CountingHandler Inner, FaultyHttpClientFactory Factory) Build(FaultOptions options)
    {
        var counters = new FaultCounters();
        var inner = new CountingHandler();
        var factory = new FaultyHttpClientFactory(new AwsFaultHandler(options, counters, 1, inner));
        return (counters, inner, factory);
    }

    /// <summary>Answers 200 with an empty JSON object, as if the service had done the operation.</summary>
    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
