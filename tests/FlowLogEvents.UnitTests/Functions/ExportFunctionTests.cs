using System.Security.Cryptography;
using System.Text;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Exports;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;
using static FlowLogEvents.Tests.Support.SqsFixtures;

namespace FlowLogEvents.Tests.Functions;

public sealed class ExportFunctionTests : IDisposable
{
    private readonly CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly RecordingQueueSender _deadLetters = new();

    public void Dispose() => _h.Dispose();

    private ExportFunction NewFunction() =>
        new(_h.Store, _h.Tasks, _signals, _deadLetters, _h.Policy, _h.Time, _h.Telemetry.Telemetry);

    private async Task<string> HandleAsync(Stream input)
    {
        await using (input)
        {
            await using var output = await NewFunction().HandleAsync(input);
            using var reader = new StreamReader(output, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));

    private void SeedDone(string logGroup) => _h.Store.Put(new Checkpoint
    {
        LogGroup = logGroup,
        StartTime = T0 - Day,
        ExportedThrough = T0,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0),
    });

    [Fact]
    public async Task HandleAsync_AllWorkDone_ReturnsEmptyBatchItemFailures()
    {
        SeedDone(Prod);

        var response = await HandleAsync(Open(OneGroupThreeRecords));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Empty(_signals.Sent);
    }

    [Fact]
    public async Task HandleAsync_ThreeRecordsOfOneGroup_OneCreateAndAllAcknowledged()
    {
        var response = await HandleAsync(Open(OneGroupThreeRecords));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal(1, _h.Tasks.CreateCalls);
        Assert.Single(_signals.Sent);
    }

    [Fact]
    public async Task HandleAsync_SecondGroupThrowsAndTheQueueIsUnreachable_ReturnsItsFirstRecordAndEveryLaterOneInOrder()
    {
        SeedDone(Prod);
        _h.Tasks.FailCreateFor(Staging, new HttpRequestException("CloudWatch Logs unreachable"));
        _signals.ThrowOnSend = new IOException("signal queue unreachable");

        var response = await HandleAsync(Open(ThreeGroupsFiveRecords));

        Assert.Equal(
            """{"batchItemFailures":[{"itemIdentifier":"7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02"},{"itemIdentifier":"7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b03"},{"itemIdentifier":"7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04"},{"itemIdentifier":"7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b05"}]}""",
            response);
    }

    [Fact]
    public async Task HandleAsync_SecondGroupThrows_RequeuesItsRecordsAndAcknowledgesTheBatch()
    {
        SeedDone(Prod);
        _h.Tasks.FailCreateFor(Staging, new HttpRequestException("CloudWatch Logs unreachable"));

        var response = await HandleAsync(Open(ThreeGroupsFiveRecords));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal(2, _signals.Sent.Count(m => m.DeduplicationId.StartsWith("retry-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HandleAsync_ApproximateReceiveCountTwo_IsolatesTheBatchRunningOnlyTheFirstGroup()
    {
        var json = File.ReadAllText(PathOf(ThreeGroupsFiveRecords)).Replace("\"ApproximateReceiveCount\": \"1\"", "\"ApproximateReceiveCount\": \"2\"", StringComparison.Ordinal);

        var response = await HandleAsync(Json(json));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal([Prod], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        Assert.Equal(3, _signals.Sent.Count(m => m.DeduplicationId.StartsWith("isolate-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HandleAsync_MalformedBody_AcknowledgedAfterDeadLetter()
    {
        SeedDone(Prod);

        var response = await HandleAsync(Open(MalformedBody));

        Assert.Equal("""{"batchItemFailures":[]}""", response);
        Assert.Equal("2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e02", Assert.Single(_deadLetters.Sent).DeduplicationId);
        Assert.Equal(Staging, Assert.Single(_h.Tasks.Tasks).LogGroup);
    }

    [Fact]
    public async Task HandleAsync_ContinuationSendFails_ReturnsRecordAsFailure()
    {
        _signals.ThrowOnSend = new IOException("signal queue unreachable");

        var response = await HandleAsync(Open(OneGroupOneRecord));

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01"}]}""", response);
    }

    [Fact]
    public async Task HandleAsync_EventWithoutRecords_Throws()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => HandleAsync(Open(NotSqsEvent)));

        Assert.Equal("SQS event has no Records array", ex.Message);
        Assert.Equal(0, _h.Store.Loads);
    }

    [Fact]
    public async Task HandleAsync_JsonNull_Throws()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => HandleAsync(Json("null")));

        Assert.Equal("SQS event is JSON null", ex.Message);
    }

    [Fact]
    public async Task HandleAsync_RecordWithoutMessageId_ThrowsBeforeProcessingAny()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => HandleAsync(Json("""{"Records":[{"body":"{}"}]}""")));

        Assert.Equal("Records[0].messageId is missing", ex.Message);
        Assert.Empty(_deadLetters.Sent);
    }

    [Fact]
    public async Task HandleAsync_EmptyRecords_ReturnsEmptyBatchItemFailures()
    {
        Assert.Equal("""{"batchItemFailures":[]}""", await HandleAsync(Json("""{"Records":[]}""")));
    }

    [Theory]
    [InlineData(OneGroupThreeRecords)]
    [InlineData(ThreeGroupsFiveRecords)]
    [InlineData(MalformedBody)]
    [InlineData(OneGroupOneRecord)]
    [InlineData(ContinuationRecord)]
    public void Fixture_EveryRecord_IsShapedLikeAnSqsFifoRecord(string fixture)
    {
        foreach (var record in RawRecords(fixture))
        {
            var body = record.GetProperty("body").GetString()!;
#pragma warning disable CA5351 // SQS defines md5OfBody as the body's MD5: checking the fixture, not securing anything.
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))), record.GetProperty("md5OfBody").GetString());
#pragma warning restore CA5351
            Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
            Assert.EndsWith(".fifo", record.GetProperty("eventSourceARN").GetString(), StringComparison.Ordinal);
            var attributes = record.GetProperty("attributes");
            Assert.Equal(SignalPublisher.MessageGroupId, attributes.GetProperty("MessageGroupId").GetString());
            foreach (var name in new[] { "ApproximateReceiveCount", "SentTimestamp", "SequenceNumber", "MessageDeduplicationId", "ApproximateFirstReceiveTimestamp" })
            {
                Assert.False(string.IsNullOrEmpty(attributes.GetProperty(name).GetString()), name);
            }

            // Valid bodies are byte for byte what SignalCodec writes.
            if (body.EndsWith('}'))
            {
                Assert.Equal(body, SignalCodec.Encode(SignalCodec.Decode(body)));
            }
        }
    }
}
