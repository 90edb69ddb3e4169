using System.Net;
using System.Text;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Gateway;
using static FlowLogEvents.Tests.Gateway.GatewayRequests;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>The gateway over two upstream stand-ins (moto, the CloudWatch Logs front): relaying, kills, faults, denials.</summary>
public sealed class AwsGatewayTests : IAsyncLifetime, IDisposable
{
    private readonly UpstreamStandIn _moto = new();
    private readonly UpstreamStandIn _logs = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero });
    private readonly FaultCounters _faultCounters = new();
    private int _signalKills;
    private int _exportKills;
    private AwsGateway? _gateway;

    private AwsGateway Gateway => _gateway!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    // xunit calls DisposeAsync (the gateway) first, then Dispose (what the gateway relayed to).
    public void Dispose()
    {
        _client.Dispose();
        _moto.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Relay_S3PutObject_ReachesMotoByteForByte_AnswerReturnsUnchanged()
    {
        await StartAsync();
        var payload = new byte[] { 0, 1, 2, 0xff, 0xfe, (byte)'{', (byte)'}' };
        _moto.Respond = r =>
        {
            r.StatusCode = 200;
            r.Headers["ETag"] = "\"9b2cf535f27731c974343645a3985328\"";
            r.Headers["x-amz-request-id"] = "moto-request-1";
            r.ContentType = "application/xml";
            var answer = Encoding.UTF8.GetBytes("<ok/>");
            r.ContentLength64 = answer.Length;
            r.OutputStream.Write(answer);
        };
        var path = "/" + StateBucket + "/" + OnTheWire(CheckpointKey("/aws/vpc/flow logs+x")) + "?x-id=PutObject";
        using var request = new HttpRequestMessage(HttpMethod.Put, Gateway.Endpoint + path.TrimStart('/')) { Content = new ByteArrayContent(payload) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization("AKIDEXPORT", "s3"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await _client.SendAsync(request);

        var received = Assert.Single(_moto.Requests);
        Assert.Equal("PUT", received.Method);
        Assert.Equal(path, received.RawUrl);
        Assert.Equal(Authorization("AKIDEXPORT", "s3"), received.Headers["Authorization"]);
        Assert.Equal("*", received.Headers["If-None-Match"]);
        Assert.Equal("UNSIGNED-PAYLOAD", received.Headers["x-amz-content-sha256"]);
        Assert.Equal("application/json", received.Headers["Content-Type"]);
        Assert.Equal(payload, received.Body);
        Assert.Empty(_logs.Requests);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"9b2cf535f27731c974343645a3985328\"", response.Headers.ETag?.Tag);
        Assert.Equal("moto-request-1", response.Headers.GetValues("x-amz-request-id").Single());
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<ok/>", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Gateway.Counters.Requests(ExportFunction, "s3", "PutObject"));
        Assert.Equal(1, Gateway.Counters.Relayed);
    }

    [Fact]
    public async Task Relay_FunctionSendMessageWithTraceHeader_BodyCarriesAwsTraceHeader()
    {
        await StartAsync();
        _moto.Respond = r => Write(r, 200, "application/x-amz-json-1.0", "{}");
        var (request, _) = SqsJson("SendMessage", SignalQueueUrl, accessKeyId: "AKIDEXPORT");
        request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage=a87bd80c:2");

        using (request)
        using (var response = await _client.SendAsync(Retarget(request)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var received = Assert.Single(_moto.Requests);
        using var json = System.Text.Json.JsonDocument.Parse(received.Body);
        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage=a87bd80c:2", json.RootElement.GetProperty("MessageSystemAttributes").GetProperty("AWSTraceHeader").GetProperty("StringValue").GetString());
        Assert.Equal("d1", json.RootElement.GetProperty("MessageDeduplicationId").GetString());
        Assert.Equal("application/x-amz-json-1.0", received.Headers["Content-Type"]);
        Assert.Equal(1, Gateway.Counters.Get("sqs.trace-header-kept"));
    }

    [Fact]
    public async Task Relay_UnknownCallerSendMessageWithTraceHeader_BodyUnchanged()
    {
        await StartAsync();
        _moto.Respond = r => Write(r, 200, "application/x-amz-json-1.0", "{}");
        var (request, body) = SqsJson("SendMessage", SignalQueueUrl, accessKeyId: "AKIDSOMEONE");
        request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");

        using (request)
        using (var response = await _client.SendAsync(Retarget(request)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(body, Assert.Single(_moto.Requests).Body);
    }

    [Fact]
    public async Task Relay_LogsCredentialScope_GoesToTheLogsFront()
    {
        await StartAsync();
        _logs.Respond = r => Write(r, 400, "application/x-amz-json-1.1", """{"__type":"LimitExceededException","message":"busy"}""");
        var (request, _) = Logs("CreateExportTask", """{"logGroupName":"/vpc/a"}""");

        using (request)
        using (var response = await _client.SendAsync(Retarget(request)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("""{"__type":"LimitExceededException","message":"busy"}""", await response.Content.ReadAsStringAsync());
        }

        var received = Assert.Single(_logs.Requests);
        Assert.Equal("Logs_20140328.CreateExportTask", received.Headers["X-Amz-Target"]);
        Assert.Equal("""{"logGroupName":"/vpc/a"}""", Encoding.UTF8.GetString(received.Body));
        Assert.Empty(_moto.Requests);
        // A 400 is no return from CreateExportTask: the after point is not reached.
        Assert.Equal(0, _exportKills);
    }

    [Fact]
    public async Task Relay_HeadObject_ContentLengthOfTheAbsentBodyRelayed()
    {
        await StartAsync();
        _moto.Respond = r =>
        {
            r.StatusCode = 200;
            r.ContentLength64 = 1234;
        };

        using var request = S3(HttpMethod.Head, StateBucket, "checkpoints/a.json");
        using var response = await _client.SendAsync(Retarget(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1234, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task CrashBefore_SignalSendMessage_KillsWithoutReachingUpstream()
    {
        await StartAsync(crashAt: CrashSteps.SignalBeforeSend);
        var (request, _) = SqsJson("SendMessage", SignalQueueUrl);

        using (request)
        {
            var reset = await Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(Retarget(request)));
            Assert.IsType<IOException>(reset.InnerException);
            Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, Assert.IsType<System.Net.Sockets.SocketException>(reset.InnerException.InnerException).SocketErrorCode);
        }

        Assert.Equal(1, _signalKills);
        Assert.Empty(_moto.Requests);
        Assert.Equal(1, Gateway.Counters.KilledAt(CrashSteps.SignalBeforeSend));
        Assert.Equal(0, Gateway.Counters.Relayed);
        Assert.Equal(1, _faultCounters.Get("crash." + CrashSteps.SignalBeforeSend));
    }

    [Fact]
    public async Task CrashAfter_ExportCreateExportTask_ReachesUpstreamThenKills()
    {
        await StartAsync(crashAt: CrashSteps.ExportAfterCreate);
        _logs.Respond = r => Write(r, 200, "application/x-amz-json-1.1", """{"taskId":"t-1"}""");
        var (request, _) = Logs("CreateExportTask", """{"logGroupName":"/vpc/a"}""");

        using (request)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(Retarget(request)));
        }

        Assert.Single(_logs.Requests);
        Assert.Equal(1, _exportKills);
        Assert.Equal(1, Gateway.Counters.KilledAt(CrashSteps.ExportAfterCreate));
        Assert.Equal(1, Gateway.Counters.Relayed);
    }

    [Fact]
    public async Task CrashAfter_CheckpointWriteAnswered412_StillKills()
    {
        await StartAsync(crashAt: CrashSteps.ExportAfterCheckpointWrite);
        _moto.Respond = r => Write(r, 412, "application/xml", "<Error><Code>PreconditionFailed</Code></Error>");
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(CheckpointKey("/vpc/a")), body: [1]);

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(Retarget(request)));

        Assert.Single(_moto.Requests);
        Assert.Equal(1, _exportKills);
    }

    [Fact]
    public async Task UnknownKey_ArmedCrashesAndErrors_RelayedWithoutFaults()
    {
        await StartAsync(crashAt: CrashSteps.SignalBeforeSend, faults: new FaultOptions { AwsErrorRate = 0.5 });
        for (var i = 0; i < 10; i++)
        {
            var (request, _) = SqsJson("SendMessage", SignalQueueUrl, accessKeyId: "AKIDHARNESS");
            using (request)
            using (var response = await _client.SendAsync(Retarget(request)))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.Equal(10, _moto.Requests.Count);
        Assert.Equal(10, Gateway.Counters.UnknownCallers);
        Assert.Equal(10, Gateway.Counters.Requests(GatewayCounters.UnknownFunction, "sqs", "SendMessage"));
        Assert.Equal(0, _faultCounters.AwsErrors);
        Assert.Equal(0, _signalKills);
    }

    [Fact]
    public async Task Denied_S3GetObject_AccessDenied403WithoutReachingUpstream()
    {
        await StartAsync(authorizer: new DenyS3());
        using var request = S3(HttpMethod.Get, StateBucket, "checkpoints/a.json");

        using var response = await _client.SendAsync(Retarget(request));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code><Message>no s3 for you</Message>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_moto.Requests);
        Assert.Equal(1, Gateway.Counters.Denied);
    }

    [Fact]
    public async Task LostResponses_FunctionTraffic_ReachUpstreamThenA5xxOrAReset()
    {
        const int seed = 7;
        const int calls = 20;
        await StartAsync(faults: new FaultOptions { LostResponseRate = 0.5 }, seed: seed);
        var (expected5xx, expectedResets) = ExpectedLosses(seed, calls, 0.5);
        var resets = 0;
        var errors = 0;
        for (var i = 0; i < calls; i++)
        {
            using var request = S3(HttpMethod.Get, StateBucket, "checkpoints/a.json");
            try
            {
                using var response = await _client.SendAsync(Retarget(request));
                errors += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
            }
            catch (HttpRequestException)
            {
                resets++;
            }
        }

        Assert.Equal(calls, _moto.Requests.Count);
        Assert.Equal((expected5xx, expectedResets), (errors, resets));
        Assert.Equal(expected5xx + expectedResets, _faultCounters.Get("aws.lost.s3.GetObject"));
    }

    /// <summary>The draws of AwsFaultHandler (NextDouble, then Next(2)) for sequential calls: (5xx answers, resets).</summary>
    private static (int FiveXx, int Resets) ExpectedLosses(int seed, int calls, double rate)
    {
#pragma warning disable CA5394
        var random = new Random(seed);
        var (fiveXx, resets) = (0, 0);
        for (var i = 0; i < calls; i++)
        {
            var draw = random.NextDouble();
            var flip = random.Next(2) == 0;
#pragma warning restore CA5394
            if (draw < rate)
            {
                (fiveXx, resets) = flip ? (fiveXx, resets + 1) : (fiveXx + 1, resets);
            }
        }

        return (fiveXx, resets);
    }

    private async Task StartAsync(string? crashAt = null, FaultOptions? faults = null, int seed = 1, IRequestAuthorizer? authorizer = null)
    {
        var signal = new GatewayCaller(SignalFunction, "signal-env-1", () => Interlocked.Increment(ref _signalKills), () => "signal-invocation");
        var export = new GatewayCaller(ExportFunction, "export-env-1", () => Interlocked.Increment(ref _exportKills), () => "export-invocation");
        var crashOptions = new FaultOptions { CrashAt = crashAt is null ? [] : [crashAt], CrashRate = 1, MaxCrashesPerStep = 10 };
        var options = Options(authorizer) with
        {
            Faults = faults ?? FaultOptions.None,
            FaultCounters = _faultCounters,
            FaultSeed = seed,
            Crashes = new CrashSchedule(crashOptions, _faultCounters, seed),
        };
        _gateway = await AwsGateway.StartAsync(_moto.Endpoint, _logs.Endpoint, options, key => key switch
        {
            "AKIDSIGNAL" => signal,
            "AKIDEXPORT" => export,
            _ => null,
        });
    }

    /// <summary>The same request, sent to the gateway.</summary>
    private HttpRequestMessage Retarget(HttpRequestMessage request)
    {
        request.RequestUri = new Uri(Gateway.Endpoint, request.RequestUri!.PathAndQuery);
        return request;
    }

    private static void Write(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private sealed class DenyS3 : IRequestAuthorizer
    {
        public AuthorizationDecision Authorize(GatewayCaller caller, AwsRequestInfo request) =>
            request.Service == "s3" ? AuthorizationDecision.Deny("no s3 for you") : AuthorizationDecision.Allow;
    }
}
