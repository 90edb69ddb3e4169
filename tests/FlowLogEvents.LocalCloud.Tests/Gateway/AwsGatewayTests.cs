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

    /// <summary>A lost response (reset or 5xx) on a kept-alive connection, as the SDK's pooled handler sends it: relayed once, never again.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task LostResponse_CreateExportTaskOnAReusedConnection_ReachesUpstreamOnce(int seed)
    {
        await StartAsync(faults: new FaultOptions { LostResponseRate = 1 }, seed: seed);
        _logs.Respond = r => Write(r, 200, "application/x-amz-json-1.1", """{"taskId":"t-1"}""");
        using var pooled = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var (warm, _) = Logs("DescribeExportTasks", "{}");
        warm.Headers.Remove("Authorization");
        warm.Headers.TryAddWithoutValidation("Authorization", GatewayRequests.Authorization("AKIDNOBODY", "logs"));
        using (warm)
        {
            (await pooled.SendAsync(Retarget(warm))).Dispose();
        }

        var (request, _) = Logs("CreateExportTask", """{"logGroupName":"/vpc/a"}""");
        request.Headers.ExpectContinue = true;
        using (request)
        {
            try
            {
                using var answer = await pooled.SendAsync(Retarget(request));
                Assert.True((int)answer.StatusCode >= 500, $"answered {answer.StatusCode}");
            }
            catch (HttpRequestException)
            {
            }
        }

        Assert.Equal(2, _logs.Requests.Count);
    }

    /// <summary>
    /// A lost CreateExportTask response as a reset of the connection (seeds 2 and 4) or a 5xx (seeds 1 and 3): the
    /// product's client sends the request once and reports the ambiguous failure. Before its send-once handler,
    /// the socket handler sent the identical request again after the reset (same signature, same
    /// <c>amz-sdk-request: attempt=1</c>) and the service created a second task of the same window.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task CreateExportTask_ResponseLost_ProductClientSendsItOnceAndFails(int seed)
    {
        await StartAsync(faults: new FaultOptions { LostResponseRate = 1 }, seed: seed);
        _logs.Respond = r => Write(r, 200, "application/x-amz-json-1.1", """{"taskId":"t-1"}""");
        using var client = new FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsClient(
            new Amazon.Runtime.BasicAWSCredentials("AKIDEXPORT", "secret"),
            new FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsConfig { ServiceURL = Gateway.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var request = new FlowLogEvents.Aws.CloudWatchLogs.CreateExportTaskRequest { TaskName = "flowlogevents-w-1", LogGroupName = "/vpc/a", From = 1, To = 2, Destination = "b", DestinationPrefix = "p" };

        var error = await Record.ExceptionAsync(() => client.CreateExportTaskAsync(request, CancellationToken.None));

        Assert.NotNull(error);
        Assert.Single(_logs.Requests);
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

    [Fact]
    public async Task ConditionalPut_AnotherOfTheKeyInFlight_409ConditionalRequestConflictWithoutReachingUpstream()
    {
        await StartAsync();
        using var release = new ManualResetEventSlim();
        _moto.Respond = r =>
        {
            release.Wait(TimeSpan.FromMinutes(1));
            r.StatusCode = 200;
            r.Headers["ETag"] = "\"e1\"";
        };
        var key = OnTheWire(CheckpointKey("/vpc/a"));
        using var first = S3(HttpMethod.Put, StateBucket, key, body: [1]);
        first.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var firstAnswer = _client.SendAsync(Retarget(first));
        while (_moto.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        using var second = S3(HttpMethod.Put, StateBucket, key, accessKeyId: "AKIDHARNESS", body: [2]);
        second.Headers.TryAddWithoutValidation("If-Match", "\"e0\"");
        using (var conflict = await _client.SendAsync(Retarget(second)))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Equal("application/xml", conflict.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"<Error><Code>ConditionalRequestConflict</Code><Message>{ConditionalWriteConflicts.Message}</Message><Key>checkpoints/%2Fvpc%2Fa.json</Key>", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        release.Set();
        using (var answered = await firstAnswer)
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // Once the first is answered, the key is free again.
        using var third = S3(HttpMethod.Put, StateBucket, key, body: [3]);
        third.Headers.TryAddWithoutValidation("If-Match", "\"e1\"");
        using (var after = await _client.SendAsync(Retarget(third)))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        Assert.Equal(2, _moto.Requests.Count);
        Assert.Equal(1, Gateway.Counters.Get("conflict.in-flight"));
        Assert.Equal(2, Gateway.Counters.Relayed);
    }

    [Fact]
    public async Task UnconditionalPut_AnotherOfTheKeyInFlight_Relayed()
    {
        await StartAsync();
        using var release = new ManualResetEventSlim();
        _moto.Respond = r =>
        {
            release.Wait(TimeSpan.FromMinutes(1));
            r.StatusCode = 200;
        };
        var key = OnTheWire(CheckpointKey("/vpc/a"));
        using var first = S3(HttpMethod.Put, StateBucket, key, body: [1]);
        first.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var firstAnswer = _client.SendAsync(Retarget(first));
        while (_moto.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        using var second = S3(HttpMethod.Put, StateBucket, key, body: [2]);
        var secondAnswer = _client.SendAsync(Retarget(second));
        release.Set();

        using (var a = await firstAnswer)
        using (var b = await secondAnswer)
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
        }

        Assert.Equal(2, _moto.Requests.Count);
        Assert.Equal(0, Gateway.Counters.Conflicts);
    }

    [Fact]
    public async Task ConditionalConflictRate_One_FunctionsConditionalPutsAnswered409_OthersRelayed()
    {
        await StartAsync(faults: new FaultOptions { ConditionalConflictRate = 1 });
        var key = OnTheWire(CheckpointKey("/vpc/a"));
        using var conditional = S3(HttpMethod.Put, StateBucket, key, body: [1]);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var plain = S3(HttpMethod.Put, StateBucket, key, body: [1]);
        using var harness = S3(HttpMethod.Put, StateBucket, key, accessKeyId: "AKIDHARNESS", body: [1]);
        harness.Headers.TryAddWithoutValidation("If-None-Match", "*");

        using var conflict = await _client.SendAsync(Retarget(conditional));
        using var plainAnswer = await _client.SendAsync(Retarget(plain));
        using var harnessAnswer = await _client.SendAsync(Retarget(harness));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("<Code>ConditionalRequestConflict</Code>", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (plainAnswer.StatusCode, harnessAnswer.StatusCode));
        Assert.Equal(2, _moto.Requests.Count);
        Assert.Equal(1, Gateway.Counters.Get("conflict.injected"));
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
