using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Local.Gateway;
using static FlowLogEvents.Tests.Gateway.GatewayRequests;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>AccessDenied answers are each service's real wire shape, and the SDKs parse them into AccessDenied errors.</summary>
public sealed class AccessDeniedResponsesTests
{
    private const string Message = "User: arn:aws:sts::123456789012:assumed-role/export-role/ExportFunction is not authorized to perform: s3:PutObject";
    private static readonly BasicAWSCredentials Credentials = new("AKIDEXPORT", "secret");

    [Fact]
    public void For_S3GetObject_RestXmlAccessDenied403()
    {
        using var request = S3(HttpMethod.Get, StateBucket, "checkpoints/a.json");

        var answer = AccessDeniedResponses.For(Classify(request), "Access Denied <&>");
        var body = Encoding.UTF8.GetString(answer.Body);
        var requestId = answer.Headers.Single(h => h.Key == "x-amz-request-id").Value;

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("application/xml", answer.ContentType);
        Assert.Equal($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied &lt;&amp;&gt;</Message><RequestId>{requestId}</RequestId><HostId>gateway</HostId></Error>", body);
    }

    [Fact]
    public void For_S3HeadObject_403WithoutBody()
    {
        using var request = S3(HttpMethod.Head, StateBucket, "checkpoints/a.json");

        var answer = AccessDeniedResponses.For(Classify(request), Message);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Empty(answer.Body);
    }

    [Fact]
    public void For_SqsJson_QueryCompatibleAccessDenied403()
    {
        var (request, body) = SqsJson("SendMessage", SignalQueueUrl);
        using (request)
        {
            var answer = AccessDeniedResponses.For(Classify(request, body), "denied");

            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.Equal("application/x-amz-json-1.0", answer.ContentType);
            Assert.Equal("""{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"denied"}""", Encoding.UTF8.GetString(answer.Body));
            Assert.Equal("AccessDenied;Sender", answer.Headers.Single(h => h.Key == "x-amzn-query-error").Value);
        }
    }

    [Fact]
    public void For_SqsQueryProtocol_XmlErrorResponse403()
    {
        var body = Encoding.UTF8.GetBytes("Action=SendMessage&QueueUrl=" + Uri.EscapeDataString(SignalQueueUrl));
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("AKIDSIGNAL", "sqs"));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        var answer = AccessDeniedResponses.For(Classify(request, body), "denied");
        var requestId = answer.Headers.Single(h => h.Key == "x-amzn-RequestId").Value;

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("text/xml", answer.ContentType);
        Assert.Equal($"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message><Detail/></Error><RequestId>{requestId}</RequestId></ErrorResponse>", Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public void For_Logs_Json11AccessDeniedException400()
    {
        var (request, body) = Logs("CreateExportTask", "{}");
        using (request)
        {
            var answer = AccessDeniedResponses.For(Classify(request, body), "not \"allowed\"");

            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("application/x-amz-json-1.1", answer.ContentType);
            Assert.Equal("""{"__type":"AccessDeniedException","message":"not \u0022allowed\u0022"}""", Encoding.UTF8.GetString(answer.Body));
        }
    }

    [Fact]
    public async Task For_S3_AwsSdkThrowsAccessDenied403()
    {
        using var factory = new StubHttpClientFactory(new CapturingHandler(Answer));
        using var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(StateBucket, "checkpoints/a.json"));

        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden, Message), (error.ErrorCode, error.StatusCode, error.Message));
    }

    [Fact]
    public async Task For_SqsJson_AwsSdkThrowsAccessDenied403()
    {
        using var factory = new StubHttpClientFactory(new CapturingHandler(Answer));
        using var sqs = new AmazonSQSClient(Credentials, new AmazonSQSConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.SendMessageAsync(new SendMessageRequest(SignalQueueUrl, "x") { MessageGroupId = "g", MessageDeduplicationId = "d" }));

        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden, ErrorType.Sender, Message), (error.ErrorCode, error.StatusCode, error.ErrorType, error.Message));
    }

    [Fact]
    public async Task For_Logs_CloudWatchLogsClientThrowsAccessDeniedException()
    {
        using var factory = new StubHttpClientFactory(new CapturingHandler(Answer));
        using var logs = new CloudWatchLogsClient(Credentials, new CloudWatchLogsConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAnyAsync<CloudWatchLogsException>(() => logs.DescribeExportTasksAsync(new DescribeExportTasksRequest(), CancellationToken.None));

        Assert.Equal(("AccessDeniedException", HttpStatusCode.BadRequest, Message), (error.ErrorCode, error.StatusCode, error.Message));
    }

    /// <summary>Classifies the SDK's request and answers it as the gateway does on a denial.</summary>
    private static HttpResponseMessage Answer(HttpRequestMessage request)
    {
        var body = request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
        var denied = AccessDeniedResponses.For(AwsRequestInfo.Classify(request, body), Message);
        var response = new HttpResponseMessage(denied.Status) { Content = new ByteArrayContent(denied.Body) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(denied.ContentType!);
        foreach (var (name, value) in denied.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
