using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using FlowLogEvents.Aws;
using FlowLogEvents.Exports;
using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Tests.Gateway;

namespace FlowLogEvents.Tests.Aws;

/// <summary>
/// S3CheckpointStore against S3's 409 ConditionalRequestConflict (a conditional write racing another; the local
/// cloud's gateway answers it in S3's shape): "On a 409 failure you should fetch the object's ETag and retry the
/// upload". The AWS SDK runs over a scripted HTTP handler: each request takes the next answer.
/// </summary>
public sealed class S3CheckpointStoreConflictTests : IDisposable
{
    private const string Bucket = "flow-state";
    private const string LogGroup = "/vpc/a";
    private const string V1Body = "{}";
    private const string V9Body = "{\"other\":true}";
    private const string UnreadableBody = "not json";
    private static readonly string V1 = Md5Tag(V1Body);
    private static readonly string V9 = Md5Tag(V9Body);
    private const string V2 = "\"22222222222222222222222222222222\"";
    private const string C1 = "\"c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1\"";
    private const string M1 = "\"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1\"";
    private const string Q1 = "\"b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1\"";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> _answers = new();
    private readonly CapturingHandler _handler;
    private readonly StubHttpClientFactory _factory;
    private readonly AmazonS3Client _s3;
    private readonly S3CheckpointStore _store;

    public S3CheckpointStoreConflictTests()
    {
        _handler = new CapturingHandler(request => _answers.Count > 0 ? _answers.Dequeue()(request) : throw new InvalidOperationException($"no answer scripted for {request.Method} {request.RequestUri}"));
        _factory = new StubHttpClientFactory(_handler);
        _s3 = new AmazonS3Client(new BasicAWSCredentials("AKIDEXPORT", "secret"), new AmazonS3Config { ServiceURL = GatewayRequests.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", HttpClientFactory = _factory });
        _store = new S3CheckpointStore(_s3, Bucket, "checkpoints");
    }

    public void Dispose()
    {
        _s3.Dispose();
        _factory.Dispose();
    }

    private IEnumerable<HttpRequestMessage> Puts => _handler.Requests.Select(r => r.Request).Where(r => r.Method == HttpMethod.Put);

    [Fact]
    public async Task MarkExportedAsync_409ThenCreated_RetriesUntilTheMarkerIsWritten()
    {
        Script(Conflict, Created(M1));

        await _store.MarkExportedAsync(LogGroup, Now, CancellationToken.None);

        Assert.Equal(["*", "*"], Puts.Select(p => p.Headers.IfNoneMatch.Single().Tag));
        Assert.Empty(_answers);
    }

    [Fact]
    public async Task MarkExportedAsync_412_AlreadyMarkedWithoutRetry()
    {
        Script(PreconditionFailed);

        await _store.MarkExportedAsync(LogGroup, Now, CancellationToken.None);

        Assert.Single(Puts);
    }

    [Fact]
    public async Task MarkExportedAsync_409OnEveryAttempt_ThrowsConflictAfterBoundedAttempts()
    {
        Script(Enumerable.Repeat(Conflict, S3CheckpointStore.ConflictAttempts).ToArray());

        var error = await Assert.ThrowsAsync<S3ConditionalConflictException>(() => _store.MarkExportedAsync(LogGroup, Now, CancellationToken.None));

        Assert.Equal($"s3://{Bucket}/checkpoints/%2Fvpc%2Fa.json.exported: {S3CheckpointStore.ConflictAttempts} conditional writes (If-None-Match *) answered 409 ConditionalRequestConflict, another write of this key kept conflicting", error.Message);
        Assert.Equal(S3CheckpointStore.ConflictAttempts, Puts.Count());
    }

    [Fact]
    public async Task QuarantineAsync_409ThenCreated_RetriesUntilTheCopyIsWritten()
    {
        Script(Stored(UnreadableBody), Conflict, Created(Q1));

        var copy = await _store.QuarantineAsync(LogGroup, CancellationToken.None);

        Assert.Equal($"s3://{Bucket}/checkpoints/%2Fvpc%2Fa.json.quarantine-{Md5Tag(UnreadableBody).Trim('"')}", copy);
        Assert.Equal(2, Puts.Count());
        Assert.Empty(_answers);
    }

    [Fact]
    public async Task TryWriteAsync_Create409ThenCreated_ReturnsTheNewETag()
    {
        Script(Conflict, Created(C1));

        var etag = await _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), null, CancellationToken.None);

        Assert.Equal(C1, etag);
        Assert.Equal(2, Puts.Count());
    }

    [Fact]
    public async Task TryWriteAsync_Create409Then412_ReturnsNull()
    {
        Script(Conflict, PreconditionFailed);

        var etag = await _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), null, CancellationToken.None);

        Assert.Null(etag);
        Assert.Equal(2, Puts.Count());
    }

    [Fact]
    public async Task TryWriteAsync_Replace409ETagUnchanged_RetriesWithTheSameETag()
    {
        Script(Conflict, Stored(V1Body), Created(V2));

        var etag = await _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), V1, CancellationToken.None);

        Assert.Equal(V2, etag);
        Assert.Equal([V1, V1], Puts.Select(p => p.Headers.IfMatch.Single().Tag));
        Assert.Single(_handler.Requests, r => r.Request.Method == HttpMethod.Get);
    }

    [Fact]
    public async Task TryWriteAsync_Replace409ETagChanged_ReturnsNullWithoutRetry()
    {
        Script(Conflict, Stored(V9Body));

        var etag = await _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), V1, CancellationToken.None);

        Assert.Null(etag);
        Assert.Single(Puts);
    }

    [Fact]
    public async Task TryWriteAsync_Replace409ObjectGone_ThrowsCheckpointMissing()
    {
        Script(Conflict, NoSuchKey);

        await Assert.ThrowsAsync<CheckpointMissingException>(() => _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), V1, CancellationToken.None));
    }

    [Fact]
    public async Task TryWriteAsync_Replace409OnEveryAttempt_ThrowsConflictAfterBoundedAttempts()
    {
        var answers = new List<Func<HttpRequestMessage, HttpResponseMessage>>();
        for (var i = 0; i < S3CheckpointStore.ConflictAttempts; i++)
        {
            answers.Add(Conflict);
            answers.Add(Stored(V1Body));
        }

        Script([.. answers]);

        var error = await Assert.ThrowsAsync<S3ConditionalConflictException>(() => _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), V1, CancellationToken.None));

        Assert.Equal($"s3://{Bucket}/checkpoints/%2Fvpc%2Fa.json: {S3CheckpointStore.ConflictAttempts} conditional writes (If-Match {V1}) answered 409 ConditionalRequestConflict, another write of this key kept conflicting", error.Message);
        Assert.Equal(S3CheckpointStore.ConflictAttempts, Puts.Count());
    }

    [Fact]
    public async Task TryWriteAsync_412_ReturnsNullWithoutRetry()
    {
        Script(PreconditionFailed);

        Assert.Null(await _store.TryWriteAsync(Checkpoint.Start(LogGroup, 1000, Now), V1, CancellationToken.None));
        Assert.Single(Puts);
    }

    private void Script(params Func<HttpRequestMessage, HttpResponseMessage>[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    /// <summary>The gateway's 409, byte for byte.</summary>
    private static HttpResponseMessage Conflict(HttpRequestMessage request)
    {
        var info = AwsRequestInfo.Classify(request, []);
        return From(ConditionalWriteConflicts.Response(info));
    }

    private static HttpResponseMessage PreconditionFailed(HttpRequestMessage request) =>
        Xml(HttpStatusCode.PreconditionFailed, "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition><RequestId>r</RequestId></Error>");

    private static HttpResponseMessage NoSuchKey(HttpRequestMessage request) =>
        Xml(HttpStatusCode.NotFound, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>r</RequestId></Error>");

    private static Func<HttpRequestMessage, HttpResponseMessage> Created(string etag) => _ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    };

    /// <summary>A GetObject answer; the ETag is the body's MD5, as S3 gives a single-part upload (the SDK checks it).</summary>
    private static Func<HttpRequestMessage, HttpResponseMessage> Stored(string body) => request =>
    {
        var etag = Md5Tag(body);
        Assert.Equal(HttpMethod.Get, request.Method);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        response.Headers.TryAddWithoutValidation("ETag", etag);
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return response;
    };

#pragma warning disable CA5351 // S3's ETag of a single-part object is its MD5.
    private static string Md5Tag(string body) => "\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(body))) + "\"";
#pragma warning restore CA5351

    private static HttpResponseMessage Xml(HttpStatusCode status, string body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        return response;
    }

    private static HttpResponseMessage From(GatewayResponse answer)
    {
        var response = new HttpResponseMessage(answer.Status) { Content = new ByteArrayContent(answer.Body) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
