using System.Text;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Gateway;
using static FlowLogEvents.Tests.Gateway.GatewayRequests;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>The crash rule table places the in-process crash points (src/FlowLogEvents.Local/Faults/) on classified requests.</summary>
public sealed class CrashRuleTableTests
{
    private readonly CrashRuleTable _table = new(Options());

    private string? _exportRequestId = "invocation-1";

    private GatewayCaller Export => new(ExportFunction, "export-env-1", () => { }, () => _exportRequestId);

    private static GatewayCaller Signal => new(SignalFunction, "signal-env-1", () => { }, () => "signal-invocation-1");

    [Fact]
    public void Match_ExportCreateExportTask_BeforeAndAfterCreate()
    {
        var (request, body) = Logs("CreateExportTask", """{"logGroupName":"/vpc/a","from":1,"to":2,"destination":"exports"}""");
        using (request)
        {
            Assert.Equal(new CrashPoint(CrashSteps.ExportBeforeCreate, CrashSteps.ExportAfterCreate), _table.Match(Export, Classify(request, body)));
        }
    }

    [Fact]
    public void Match_SignalCreateExportTask_None()
    {
        var (request, body) = Logs("CreateExportTask", "{}", accessKeyId: "AKIDSIGNAL");
        using (request)
        {
            Assert.Equal(CrashPoint.None, _table.Match(Signal, Classify(request, body)));
        }
    }

    [Fact]
    public void Match_ExportPutObjectOfCheckpoint_BeforeAndAfterCheckpointWriteAlsoOnConditionFailure()
    {
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(CheckpointKey("/vpc/a")), body: [1]);
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");

        var point = _table.Match(Export, Classify(request));

        Assert.Equal(new CrashPoint(CrashSteps.ExportBeforeCheckpointWrite, CrashSteps.ExportAfterCheckpointWrite, AfterOnConditionFailure: true), point);
        Assert.True(point.ReachesAfter(System.Net.HttpStatusCode.OK));
        Assert.True(point.ReachesAfter(System.Net.HttpStatusCode.PreconditionFailed));
        Assert.True(point.ReachesAfter(System.Net.HttpStatusCode.Conflict));
        Assert.False(point.ReachesAfter(System.Net.HttpStatusCode.NotFound));
        Assert.False(point.ReachesAfter(System.Net.HttpStatusCode.ServiceUnavailable));
    }

    [Theory]
    [InlineData("checkpoints/%2Fvpc%2Fa.json.exported")]
    [InlineData("checkpoints/%2Fvpc%2Fa.json.quarantine-9b2cf535f27731c974343645a3985328")]
    [InlineData("other/%2Fvpc%2Fa.json")]
    [InlineData("checkpoints/nested/a.json")]
    [InlineData("checkpoints/.json")]
    [InlineData("%2Fvpc%2Fa.json")]
    public void Match_ExportPutObjectOfNonCheckpointKey_None(string key)
    {
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(key), body: [1]);

        Assert.Equal(CrashPoint.None, _table.Match(Export, Classify(request)));
    }

    [Fact]
    public void Match_ExportPutObjectOfCheckpointKeyInAnotherBucket_None()
    {
        using var request = S3(HttpMethod.Put, "exports", OnTheWire(CheckpointKey("/vpc/a")), body: [1]);

        Assert.Equal(CrashPoint.None, _table.Match(Export, Classify(request)));
    }

    [Fact]
    public void Match_ExportCopyObjectToCheckpointKey_None()
    {
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(CheckpointKey("/vpc/a")));
        request.Headers.TryAddWithoutValidation("x-amz-copy-source", "flow-state/elsewhere.json");

        Assert.Equal(CrashPoint.None, _table.Match(Export, Classify(request)));
    }

    [Fact]
    public void Match_SignalPutObjectOfCheckpoint_None()
    {
        using var request = S3(HttpMethod.Put, StateBucket, OnTheWire(CheckpointKey("/vpc/a")), accessKeyId: "AKIDSIGNAL", body: [1]);

        Assert.Equal(CrashPoint.None, _table.Match(Signal, Classify(request)));
    }

    [Fact]
    public void Match_IsCheckpointKeyWithoutPrefix_KeyAtTheBucketRoot()
    {
        var table = new CrashRuleTable(Options() with { StatePrefix = string.Empty });

        Assert.True(table.IsCheckpointKey(StateBucket, "%2Fvpc%2Fa.json"));
        Assert.False(table.IsCheckpointKey(StateBucket, "checkpoints/%2Fvpc%2Fa.json"));
        Assert.False(table.IsCheckpointKey(StateBucket, "%2Fvpc%2Fa.json.exported"));
    }

    [Fact]
    public void Match_ExportGetObjectOfCheckpoints_BetweenLogGroupsOnlyOnASecondDifferentKeyOfTheSameInvocation()
    {
        var a = OnTheWire(CheckpointKey("/vpc/a"));
        var b = OnTheWire(CheckpointKey("/vpc/b"));
        var between = new CrashPoint(CrashSteps.ExportBetweenLogGroups, null);

        var firstRead = Get(a);
        var sameAgain = Get(a);
        var marker = Get(OnTheWire(CheckpointKey("/vpc/b") + ".exported"));
        var second = Get(b);
        var third = Get(a);
        _exportRequestId = "invocation-2";
        var nextInvocation = Get(b);

        Assert.Equal(CrashPoint.None, firstRead);
        Assert.Equal(CrashPoint.None, sameAgain);
        Assert.Equal(CrashPoint.None, marker);
        Assert.Equal(between, second);
        Assert.Equal(between, third);
        Assert.Equal(CrashPoint.None, nextInvocation);
    }

    [Fact]
    public void Match_GetObjectOfCheckpointsByTwoEnvironments_EachEnvironmentItsOwnLastKey()
    {
        var other = new GatewayCaller(ExportFunction, "export-env-2", () => { }, () => "invocation-1");
        using var a = S3(HttpMethod.Get, StateBucket, OnTheWire(CheckpointKey("/vpc/a")));
        using var b = S3(HttpMethod.Get, StateBucket, OnTheWire(CheckpointKey("/vpc/b")));

        _table.Match(Export, Classify(a));
        var otherEnvironment = _table.Match(other, Classify(b));

        Assert.Equal(CrashPoint.None, otherEnvironment);
    }

    [Fact]
    public void Match_SendMessageToSignalQueue_ExportContinuationAndSignalSend()
    {
        var (fromExport, exportBody) = SqsJson("SendMessage", SignalQueueUrl, accessKeyId: "AKIDEXPORT");
        var (fromSignal, signalBody) = SqsJson("SendMessage", SignalQueueUrl);
        using (fromExport)
        using (fromSignal)
        {
            Assert.Equal(new CrashPoint(CrashSteps.ExportBeforeContinuation, CrashSteps.ExportAfterContinuation), _table.Match(Export, Classify(fromExport, exportBody)));
            Assert.Equal(new CrashPoint(CrashSteps.SignalBeforeSend, CrashSteps.SignalAfterSend), _table.Match(Signal, Classify(fromSignal, signalBody)));
        }
    }

    [Fact]
    public void Match_SendMessageToSignalQueueThroughAnotherHost_SameQueue()
    {
        var (request, body) = SqsJson("SendMessage", "http://127.0.0.1:39001/123456789012/signals.fifo");
        using (request)
        {
            Assert.Equal(new CrashPoint(CrashSteps.SignalBeforeSend, CrashSteps.SignalAfterSend), _table.Match(Signal, Classify(request, body)));
        }
    }

    [Fact]
    public void Match_SendMessageToAnotherQueue_None()
    {
        var (request, body) = SqsJson("SendMessage", "http://127.0.0.1:5000/123456789012/signals-dlq.fifo");
        using (request)
        {
            Assert.Equal(CrashPoint.None, _table.Match(Signal, Classify(request, body)));
        }
    }

    [Fact]
    public void Match_RetryAttempt_AfterOnlyBeforeWasPassedByTheFirstAttempt()
    {
        var (request, body) = SqsJson("SendMessage", SignalQueueUrl, attempt: 2);
        using (request)
        {
            Assert.Equal(new CrashPoint(null, CrashSteps.SignalAfterSend), _table.Match(Signal, Classify(request, body)));
        }
    }

    [Fact]
    public void Match_UnconfiguredFunction_None()
    {
        var (request, body) = SqsJson("SendMessage", SignalQueueUrl);
        using (request)
        {
            Assert.Equal(CrashPoint.None, _table.Match(new GatewayCaller("Backfill", "env", () => { }, () => "r"), Classify(request, body)));
        }
    }

    private CrashPoint Get(string encodedKey)
    {
        using var request = S3(HttpMethod.Get, StateBucket, encodedKey);
        return _table.Match(Export, Classify(request, Encoding.UTF8.GetBytes(string.Empty)));
    }
}
