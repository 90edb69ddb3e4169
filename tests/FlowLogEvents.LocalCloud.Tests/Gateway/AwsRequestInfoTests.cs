using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Local.Gateway;
using static FlowLogEvents.Tests.Gateway.GatewayRequests;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>Classification of requests shaped as the SDKs send them (hand-built, and captured from AWSSDK.S3 / AWSSDK.SQS).</summary>
public sealed class AwsRequestInfoTests
{
    private static readonly BasicAWSCredentials Credentials = new("AKIDEXPORT", "secret");

    [Fact]
    public void Classify_S3PathStylePutObjectWithIfNoneMatch_PutObjectWithDecodedKeyAndCondition()
    {
        var key = CheckpointKey("/aws/vpc/flow-logs");
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(key), body: Encoding.UTF8.GetBytes("{}"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");

        var info = Classify(request);

        Assert.Equal("s3", info.Service);
        Assert.Equal("PutObject", info.Operation);
        Assert.Equal("AKIDEXPORT", info.AccessKeyId);
        Assert.Equal("us-east-1", info.Region);
        Assert.Equal(StateBucket, info.Bucket);
        Assert.Equal("checkpoints/%2Faws%2Fvpc%2Fflow-logs.json", info.Key);
        Assert.Equal("*", info.IfNoneMatch);
        Assert.Null(info.IfMatch);
        Assert.Equal(1, info.Attempt);
    }

    [Fact]
    public void Classify_S3PutObjectWithIfMatch_CarriesTheETag()
    {
        using var request = S3(HttpMethod.Put, StateBucket, "checkpoints/g.json", body: [1]);
        request.Headers.TryAddWithoutValidation("If-Match", "\"9b2cf535f27731c974343645a3985328\"");

        var info = Classify(request);

        Assert.Equal("PutObject", info.Operation);
        Assert.Equal("\"9b2cf535f27731c974343645a3985328\"", info.IfMatch);
    }

    [Fact]
    public void Classify_S3GetObject_GetObject()
    {
        using var request = S3(HttpMethod.Get, StateBucket, OnTheWire(CheckpointKey("/vpc/a")));

        var info = Classify(request);

        Assert.Equal(("s3", "GetObject", StateBucket, "checkpoints/%2Fvpc%2Fa.json"), (info.Service, info.Operation, info.Bucket, info.Key));
    }

    [Theory]
    [InlineData("GET", null, "?list-type=2&prefix=checkpoints%2F", "ListObjectsV2")]
    [InlineData("GET", null, "", "ListObjects")]
    [InlineData("GET", null, "?location", "GetBucketLocation")]
    [InlineData("GET", null, "?acl", "GetBucketAcl")]
    [InlineData("HEAD", null, "", "HeadBucket")]
    [InlineData("PUT", null, "", "CreateBucket")]
    [InlineData("POST", null, "?delete", "DeleteObjects")]
    [InlineData("HEAD", "k.json", "", "HeadObject")]
    [InlineData("DELETE", "k.json", "", "DeleteObject")]
    [InlineData("POST", "k.json", "?uploads", "CreateMultipartUpload")]
    [InlineData("PUT", "k.json", "?partNumber=1&uploadId=u", "UploadPart")]
    [InlineData("GET", "k.json", "?x-id=GetObject", "GetObject")]
    public void Classify_S3MethodPathAndQuery_NamesTheOperation(string method, string? key, string query, string operation)
    {
        using var request = S3(new HttpMethod(method), StateBucket, key, query: query);

        Assert.Equal(operation, Classify(request).Operation);
    }

    [Fact]
    public void Classify_S3PutWithCopySource_CopyObject()
    {
        using var request = S3(HttpMethod.Put, StateBucket, "checkpoints/g.json.quarantine-abc");
        request.Headers.TryAddWithoutValidation("x-amz-copy-source", "flow-state/checkpoints/g.json");

        var info = Classify(request);

        Assert.Equal("CopyObject", info.Operation);
        Assert.Equal("flow-state/checkpoints/g.json", info.CopySource);
    }

    [Fact]
    public void Classify_SqsJsonSendMessage_SendMessageWithQueueUrlFromTheBody()
    {
        var (request, body) = SqsJson("SendMessage", SignalQueueUrl, attempt: 2);
        using (request)
        {
            var info = Classify(request, body);

            Assert.Equal(("sqs", "SendMessage", SignalQueueUrl, "AKIDSIGNAL"), (info.Service, info.Operation, info.QueueUrl, info.AccessKeyId));
            Assert.False(info.QueryProtocol);
            Assert.Equal(2, info.Attempt);
        }
    }

    [Fact]
    public void Classify_SqsQueryProtocolSendMessage_ActionAndQueueUrlFromTheForm()
    {
        var body = Encoding.UTF8.GetBytes("Action=SendMessage&Version=2012-11-05&QueueUrl=" + Uri.EscapeDataString(SignalQueueUrl) + "&MessageBody=x");
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("AKIDSIGNAL", "sqs"));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

        var info = Classify(request, body);

        Assert.Equal(("sqs", "SendMessage", SignalQueueUrl), (info.Service, info.Operation, info.QueueUrl));
        Assert.True(info.QueryProtocol);
    }

    [Fact]
    public void Classify_SqsQueryProtocolToTheQueuePath_QueueUrlFromThePath()
    {
        var body = Encoding.UTF8.GetBytes("Action=SendMessage&MessageBody=x");
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/123456789012/signals.fifo") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("AKIDSIGNAL", "sqs"));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        var info = Classify(request, body);

        Assert.Equal(("SendMessage", Endpoint + "/123456789012/signals.fifo"), (info.Operation, info.QueueUrl));
    }

    [Fact]
    public void Classify_LogsCreateExportTask_CreateExportTaskWithLogGroup()
    {
        var (request, body) = Logs("CreateExportTask", """{"taskName":"t","logGroupName":"/vpc/flow","from":1,"to":2,"destination":"exports"}""");
        using (request)
        {
            var info = Classify(request, body);

            Assert.Equal(("logs", "CreateExportTask", "/vpc/flow", "AKIDEXPORT"), (info.Service, info.Operation, info.LogGroupName, info.AccessKeyId));
        }
    }

    [Fact]
    public void Classify_Unsigned_UnknownServiceWithoutKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint + "/moto-api/");

        var info = Classify(request);

        Assert.Equal((AwsRequestInfo.UnknownService, "GET", null), (info.Service, info.Operation, info.AccessKeyId));
    }

    [Fact]
    public async Task Classify_AwsSdkS3PutObjectWithIfNoneMatch_PutObjectOfTheCheckpointKey()
    {
        var handler = new CapturingHandler(_ => CapturingHandler.Ok(string.Empty, "application/xml"));
        var key = CheckpointKey("/aws/vpc/flow-logs");
        using (var factory = new StubHttpClientFactory(handler))
        using (var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", HttpClientFactory = factory }))
        {
            using var content = new MemoryStream("{}"u8.ToArray());
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = StateBucket, Key = key, InputStream = content, ContentType = "application/json", IfNoneMatch = "*" });
        }

        var (request, body) = Assert.Single(handler.Requests);
        var info = AwsRequestInfo.Classify(request, body);

        Assert.Equal(("s3", "PutObject", StateBucket, key, "*", "AKIDEXPORT"), (info.Service, info.Operation, info.Bucket, info.Key, info.IfNoneMatch, info.AccessKeyId));
    }

    [Fact]
    public async Task Classify_AwsSdkS3GetObject_GetObjectOfTheCheckpointKey()
    {
        var handler = new CapturingHandler(_ => CapturingHandler.Ok("{}", "application/json"));
        var key = CheckpointKey("/aws/vpc/flow-logs");
        using (var factory = new StubHttpClientFactory(handler))
        using (var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", HttpClientFactory = factory }))
        {
            using var response = await s3.GetObjectAsync(StateBucket, key);
        }

        var (request, body) = Assert.Single(handler.Requests);
        var info = AwsRequestInfo.Classify(request, body);

        Assert.Equal(("s3", "GetObject", StateBucket, key), (info.Service, info.Operation, info.Bucket, info.Key));
    }

    [Fact]
    public async Task Classify_AwsSdkSqsSendMessage_JsonProtocolSendMessageToTheQueue()
    {
        var handler = new CapturingHandler(_ => CapturingHandler.Ok("""{"MessageId":"m","MD5OfMessageBody":"9dd4e461268c8034f5c8564e155c67a6"}""", "application/x-amz-json-1.0"));
        using (var factory = new StubHttpClientFactory(handler))
        using (var sqs = new AmazonSQSClient(new BasicAWSCredentials("AKIDSIGNAL", "secret"), new AmazonSQSConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", HttpClientFactory = factory }))
        {
            await sqs.SendMessageAsync(new SendMessageRequest(SignalQueueUrl, "x") { MessageGroupId = "g", MessageDeduplicationId = "d" });
        }

        var (request, body) = Assert.Single(handler.Requests);
        var info = AwsRequestInfo.Classify(request, body);

        Assert.Equal(("sqs", "SendMessage", SignalQueueUrl, false), (info.Service, info.Operation, info.QueueUrl, info.QueryProtocol));
        Assert.Equal("AmazonSQS.SendMessage", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("/", request.RequestUri!.AbsolutePath);
    }
}
