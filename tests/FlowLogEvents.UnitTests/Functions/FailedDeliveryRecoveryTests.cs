using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowLogEvents.Configuration;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Functions;

/// <summary>
/// A delivery Lambda gave up on (after its two retries) reaches the function again from its on-failure destination
/// as Lambda's invocation record in an SQS event: it becomes the signal the delivery would have sent.
/// </summary>
public sealed class FailedDeliveryRecoveryTests : IDisposable
{
    // 2025-11-26T14:51:10Z: the delivery failed at 14:48:05 (three attempts from 14:45:30), the record waited 3 minutes.
    private const long Now = 1764168670000;
    private const long WindowStart = 1764168660000;

    private readonly SignalFunctionUnderTest _sut = new(
        DateTimeOffset.FromUnixTimeMilliseconds(Now),
        new SignalSettings(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)));

    public void Dispose() => _sut.Dispose();

    /// <summary>An invocation record as Lambda sends it to an SQS on-failure destination (AWS's documented shape).</summary>
    private static string InvocationRecord(JsonNode? requestPayload, string requestId = "9c3bb6a1-5c1f-4f3e-8b61-0e4d7a2f6c11") => new JsonObject
    {
        ["version"] = "1.0",
        ["timestamp"] = "2025-11-26T14:48:05.212Z",
        ["requestContext"] = new JsonObject
        {
            ["requestId"] = requestId,
            ["functionArn"] = "arn:aws:lambda:us-east-1:123456789012:function:flowlogevents-SignalFunction-AbC123:$LATEST",
            ["condition"] = "RetriesExhausted",
            ["approximateInvokeCount"] = 3,
        },
        ["requestPayload"] = requestPayload,
        ["responseContext"] = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST", ["functionError"] = "Unhandled" },
        ["responsePayload"] = new JsonObject { ["errorMessage"] = "Name or service not known (sqs.us-east-1.amazonaws.com:443)", ["errorType"] = "HttpRequestException" },
    }.ToJsonString();

    private static MemoryStream SqsEvent(params (string Id, string Body)[] records) => new(Encoding.UTF8.GetBytes(new JsonObject
    {
        ["Records"] = new JsonArray(records.Select(r => (JsonNode)new JsonObject
        {
            ["messageId"] = r.Id,
            ["receiptHandle"] = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
            ["body"] = r.Body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1764168485300" },
            ["messageAttributes"] = new JsonObject(),
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:flowlogevents-SignalFailureQueue-Xy7",
            ["awsRegion"] = "us-east-1",
        }).ToArray()),
    }.ToJsonString()));

    private static JsonNode VpcFlowLogsDelivery() => JsonNode.Parse(FixtureFiles.Bytes("subscription/vpc-flow-logs.json"))!;

    private async Task<JsonElement> InvokeAsync(Stream input)
    {
        using var output = await _sut.Function.HandleAsync(input);
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task HandleAsync_InvocationRecordOfAFailedDelivery_SendsTheSignalItStoodFor()
    {
        var response = await InvokeAsync(SqsEvent(("b1c2d3e4-0001-4a5b-8c9d-0e1f2a3b4c5d", InvocationRecord(VpcFlowLogsDelivery()))));

        Assert.Equal("""{"batchItemFailures":[]}""", response.GetRawText());
        var message = Assert.Single(_sut.Queue.Sent);
        Assert.Equal(
            """{"schema":1,"kind":"data","logGroup":"/vpc/flow-logs","owner":"123456789012","logStream":"eni-0a1b2c3d4e5f60718-all","firstEventTime":1764166680000,"lastEventTime":1764167640000,"eventCount":6,"windowStart":1764168660000,"windowEnd":1764168720000,"continuations":0}""",
            message.Body);
        Assert.Equal($"{SignalPublisher.Hash("/vpc/flow-logs")}-{WindowStart}-recovered-{SignalPublisher.Hash("eni-0a1b2c3d4e5f60718-all")}-1764166680000-1764167640000", message.DeduplicationId);
        var recovered = Assert.Single(_sut.Telemetry.Events(LogEvents.SignalRecovered));
        Assert.Equal(("9c3bb6a1-5c1f-4f3e-8b61-0e4d7a2f6c11", "RetriesExhausted", 3), (recovered.GetProperty("requestId").GetString(), recovered.GetProperty("condition").GetString(), recovered.GetProperty("approximateInvokeCount").GetInt32()));
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.SignalsRecovered));
    }

    [Fact]
    public async Task HandleAsync_RecoveredAfterTheSameWindowsSignal_IsNotSuppressed()
    {
        // An on-time delivery of the same log group in this window was signalled already by this instance.
        using (var onTime = await _sut.Function.HandleAsync(FixtureFiles.Stream("subscription/vpc-flow-logs.json")))
        {
        }

        await InvokeAsync(SqsEvent(("b1c2d3e4-0001-4a5b-8c9d-0e1f2a3b4c5d", InvocationRecord(VpcFlowLogsDelivery()))));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.NotEqual(_sut.Queue.Sent[0].DeduplicationId, _sut.Queue.Sent[1].DeduplicationId);
    }

    [Fact]
    public async Task HandleAsync_InvocationRecordWithoutPayload_LoggedAsUnrecoverableAndAcknowledged()
    {
        var response = await InvokeAsync(SqsEvent(("b1c2d3e4-0002-4a5b-8c9d-0e1f2a3b4c5d", InvocationRecord(null))));

        Assert.Equal("""{"batchItemFailures":[]}""", response.GetRawText());
        Assert.Empty(_sut.Queue.Sent);
        var unrecoverable = Assert.Single(_sut.Telemetry.Events(LogEvents.DeliveryUnrecoverable));
        Assert.Equal("9c3bb6a1-5c1f-4f3e-8b61-0e4d7a2f6c11", unrecoverable.GetProperty("requestId").GetString());
        Assert.StartsWith("the invocation record has no requestPayload", unrecoverable.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.UnrecoverableDeliveries));
    }

    [Fact]
    public async Task HandleAsync_SignalQueueUnreachable_ReportsOnlyThatRecordAsFailed()
    {
        _sut.Queue.ThrowOnSend = new HttpRequestException("Name or service not known (sqs.us-east-1.amazonaws.com:443)");

        var response = await InvokeAsync(SqsEvent(("b1c2d3e4-0003-4a5b-8c9d-0e1f2a3b4c5d", InvocationRecord(VpcFlowLogsDelivery())), ("b1c2d3e4-0004-4a5b-8c9d-0e1f2a3b4c5d", "not an invocation record")));

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"b1c2d3e4-0003-4a5b-8c9d-0e1f2a3b4c5d"}]}""", response.GetRawText());
        Assert.StartsWith("invocation record is not valid JSON", Assert.Single(_sut.Telemetry.Events(LogEvents.DeliveryUnrecoverable)).GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
