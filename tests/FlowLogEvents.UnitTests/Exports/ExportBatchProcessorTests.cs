using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;
using static FlowLogEvents.Tests.Support.SqsFixtures;

namespace FlowLogEvents.Tests.Exports;

public sealed class ExportBatchProcessorTests : IDisposable
{
    private readonly CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly RecordingQueueSender _deadLetters = new();

    public void Dispose() => _h.Dispose();

    private Task<IReadOnlyList<string>> ProcessAsync(string fixture) =>
        new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry)
            .ProcessAsync(Records(fixture), CancellationToken.None);

    private void SeedDone(string logGroup) => _h.Store.Put(new Checkpoint
    {
        LogGroup = logGroup,
        StartTime = T0 - Day,
        ExportedThrough = T0,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0),
    });

    [Fact]
    public async Task ProcessAsync_AllWorkDone_ReportsNoFailuresAndSendsNothing()
    {
        SeedDone(Prod);

        var failed = await ProcessAsync(OneGroupThreeRecords);

        Assert.Empty(failed);
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Empty(_signals.Sent);
        Assert.Empty(_deadLetters.Sent);
        Assert.Single(_h.Telemetry.Events(LogEvents.ExportDone));
    }

    [Fact]
    public async Task ProcessAsync_ThreeRecordsOfOneGroup_CoalesceIntoOneCreateAndOneContinuation()
    {
        var failed = await ProcessAsync(OneGroupThreeRecords);

        Assert.Empty(failed);
        Assert.Equal(1, _h.Tasks.CreateCalls);
        var task = Assert.Single(_h.Tasks.Tasks);
        // The earliest first event of the three records (the second one's) starts the first window.
        Assert.Equal(new ExportWindow(T0 - (25 * Minute), T0 - (15 * Minute)), task.Window);
        Assert.Equal(Prod, task.LogGroup);
        Assert.Equal("task-0001", _h.Store.Get(Prod)!.InFlight!.TaskId);

        var message = Assert.Single(_signals.Sent);
        Assert.Equal(SignalPublisher.MessageGroupId, message.GroupId);
        var ids = string.Join(',', MessageIds(OneGroupThreeRecords));
        Assert.Equal($"continue-{SignalPublisher.Hash(Prod)}-4d5e0f4a-1b3c-4c1e-9a55-0b7f1c2d3e01-{SignalPublisher.Hash(ids)}", message.DeduplicationId);
        var expected = new Signal
        {
            Kind = SignalKind.Continuation,
            LogGroup = Prod,
            Owner = "123456789012",
            LogStream = "eni-0a1b2c3d4e5f60001-all",
            FirstEventTime = T0 - (25 * Minute),
            LastEventTime = T0 - (30 * Second),
            EventCount = 260,
            WindowStart = T0 - (3 * Minute),
            WindowEnd = T0,
            Continuations = 1,
        };
        Assert.Equal(expected, SignalCodec.Decode(message.Body));
        Assert.Empty(_deadLetters.Sent);
    }

    [Fact]
    public async Task ProcessAsync_SecondGroupThrows_ItsRecordsAreRequeuedWithAFailureCountAndTheOtherGroupsGoOn()
    {
        SeedDone(Prod);
        _h.Tasks.FailCreateFor(Staging, new HttpRequestException("CloudWatch Logs unreachable"));
        var raw = Records(ThreeGroupsFiveRecords);

        var failed = await ProcessAsync(ThreeGroupsFiveRecords);

        // Nothing is reported failed: staging's work is carried on by its own messages, and dev (after it) was exported.
        Assert.Empty(failed);
        Assert.Equal(2, _h.Tasks.CreateCalls); // staging's attempt, then dev's
        Assert.Equal([Dev], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        var requeued = _signals.Sent.Where(m => m.DeduplicationId.StartsWith("retry-", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                $"retry-{SignalPublisher.Hash(Staging)}-7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02-1",
                $"retry-{SignalPublisher.Hash(Staging)}-7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04-1",
            ],
            requeued.Select(m => m.DeduplicationId));

        // Each original signal, exactly as it was (data ranges and all), with its failure count.
        Assert.Equal(
            [SignalCodec.Decode(raw[1].Body) with { Failures = 1 }, SignalCodec.Decode(raw[3].Body) with { Failures = 1 }],
            requeued.Select(m => SignalCodec.Decode(m.Body)));
        Assert.All(requeued, m => Assert.Equal(SignalPublisher.MessageGroupId, m.GroupId));
        Assert.Empty(_deadLetters.Sent);
        var retried = Assert.Single(_h.Telemetry.Events(LogEvents.WorkRetryLater));
        Assert.Equal(Staging, retried.GetProperty("logGroup").GetString());
        Assert.Equal("HttpRequestException: CloudWatch Logs unreachable", retried.GetProperty("error").GetString());
        Assert.Equal((1, ExportBatchProcessor.MaxFailures), (retried.GetProperty("failures").GetInt32(), retried.GetProperty("maxFailures").GetInt32()));
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.WorkRetried));
        Assert.Empty(_h.Telemetry.Events(LogEvents.BatchFailed));
    }

    [Fact]
    public async Task ProcessAsync_GroupFailsItsThirdRunInARow_SetAsideToTheDeadLetterQueueAndTheOthersGoOn()
    {
        SeedDone(Prod);
        var error = new InvalidOperationException("export task t-1 recorded in the checkpoint of 'staging' is unknown to CloudWatch Logs");
        _h.Tasks.FailCreateFor(Staging, error);
        var records = Records(ThreeGroupsFiveRecords)
            .Select(r => SignalCodec.Decode(r.Body).LogGroup == Staging ? r with { Body = SignalCodec.Encode(SignalCodec.Decode(r.Body) with { Failures = ExportBatchProcessor.MaxFailures - 1 }) } : r)
            .ToList();

        var failed = await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(records, CancellationToken.None);

        Assert.Empty(failed);
        // Each of staging's records as it came, its failure count cleared (a replay after the fix starts afresh).
        var raw = Records(ThreeGroupsFiveRecords);
        Assert.Equal([raw[1].Body, raw[3].Body], _deadLetters.Sent.Select(m => m.Body));
        Assert.Equal(["7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02", "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04"], _deadLetters.Sent.Select(m => m.DeduplicationId));
        Assert.All(_deadLetters.Sent, dead => Assert.Equal($"InvalidOperationException: {error.Message} (failed {ExportBatchProcessor.MaxFailures} runs in a row)", dead.Attributes![ExportBatchProcessor.SetAsideAttribute]));
        Assert.DoesNotContain(_signals.Sent, m => m.DeduplicationId.StartsWith("retry-", StringComparison.Ordinal));
        Assert.Equal([Dev], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        Assert.Single(_h.Telemetry.Events(LogEvents.WorkSetAside));
        Assert.Empty(_h.Telemetry.Events(LogEvents.WorkRetryLater));
    }

    [Fact]
    public async Task ProcessAsync_GroupSucceedsAfterAFailure_ItsContinuationStartsTheCountAgain()
    {
        var records = Records(OneGroupOneRecord).Select(r => r with { Body = SignalCodec.Encode(SignalCodec.Decode(r.Body) with { Failures = 2 }) }).ToList();

        var failed = await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(records, CancellationToken.None);

        Assert.Empty(failed);
        var continuation = SignalCodec.Decode(Assert.Single(_signals.Sent).Body);
        Assert.Equal((SignalKind.Continuation, 0), (continuation.Kind, continuation.Failures));
    }

    [Fact]
    public async Task ProcessAsync_RequeueSendFails_ReportsTheGroupsFirstRecordAndEveryLaterRecordInOrder()
    {
        SeedDone(Prod);
        _h.Tasks.FailCreateFor(Staging, new HttpRequestException("CloudWatch Logs unreachable"));
        _signals.ThrowOnSend = new IOException("signal queue unreachable");

        var failed = await ProcessAsync(ThreeGroupsFiveRecords);

        Assert.Equal(
            [
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b03",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b05",
            ],
            failed);
        Assert.Null(_h.Store.Get(Dev));
        var batchFailed = Assert.Single(_h.Telemetry.Events(LogEvents.BatchFailed));
        Assert.Equal(Staging, batchFailed.GetProperty("logGroup").GetString());
        Assert.Equal("IOException: signal queue unreachable", batchFailed.GetProperty("error").GetString());
        Assert.Equal([4.0], _h.Telemetry.MetricValues(MetricNames.BatchItemFailures));
    }

    [Fact]
    public async Task ProcessAsync_RedeliveredBatchOfSeveralGroups_ResendsAllButTheFirstGroupBeforeRunningOnlyTheFirst()
    {
        // ApproximateReceiveCount 2: the previous attempt ended without a verdict (the function died or timed out in one
        // of the groups). Isolating each group in its own message lets only the group that kills the function reach the DLQ.
        var records = Records(ThreeGroupsFiveRecords).Select(r => r with { ReceiveCount = 2 }).ToList();
        var raw = Records(ThreeGroupsFiveRecords);

        var failed = await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(records, CancellationToken.None);

        Assert.Empty(failed);
        Assert.Equal(1, _h.Tasks.CreateCalls);
        Assert.Equal([Prod], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        var isolated = _signals.Sent.Where(m => m.DeduplicationId.StartsWith("isolate-", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "isolate-7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02",
                "isolate-7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04",
                "isolate-7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b05",
            ],
            isolated.Select(m => m.DeduplicationId));
        Assert.Equal([raw[1].Body, raw[3].Body, raw[4].Body], isolated.Select(m => m.Body));
        var batch = Assert.Single(_h.Telemetry.Events(LogEvents.BatchIsolated));
        Assert.Equal(2, batch.GetProperty("receiveCount").GetInt32());
        Assert.Equal(2, batch.GetProperty("logGroupsResent").GetInt32());
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.BatchesIsolated));
    }

    [Fact]
    public async Task ProcessAsync_RedeliveredBatchOfOneGroup_RunsItAsUsual()
    {
        var records = Records(OneGroupThreeRecords).Select(r => r with { ReceiveCount = 3 }).ToList();

        var failed = await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(records, CancellationToken.None);

        Assert.Empty(failed);
        Assert.Equal(1, _h.Tasks.CreateCalls);
        Assert.Empty(_h.Telemetry.Events(LogEvents.BatchIsolated));
    }

    [Fact]
    public async Task ProcessAsync_MalformedBody_SetAsideToDeadLetterAcknowledgedAndLaterRecordsProcessed()
    {
        SeedDone(Prod);
        var raw = Records(MalformedBody);

        var failed = await ProcessAsync(MalformedBody);

        Assert.Empty(failed);
        var dead = Assert.Single(_deadLetters.Sent);
        Assert.Equal(raw[1].Body, dead.Body);
        Assert.Equal(SignalPublisher.MessageGroupId, dead.GroupId);
        Assert.Equal("2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e02", dead.DeduplicationId);
        Assert.NotNull(dead.Attributes);
        Assert.Equal(2, dead.Attributes.Count);
        Assert.StartsWith("signal body is not a valid signal: ", dead.Attributes[ExportBatchProcessor.ErrorAttribute], StringComparison.Ordinal);
        Assert.Equal("2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e02", dead.Attributes[ExportBatchProcessor.SourceMessageAttribute]);

        // The record after the malformed one was processed: staging got its first task and a continuation.
        var task = Assert.Single(_h.Tasks.Tasks);
        Assert.Equal(Staging, task.LogGroup);
        var continuation = Assert.Single(_signals.Sent);
        Assert.Equal($"continue-{SignalPublisher.Hash(Staging)}-2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e03", continuation.DeduplicationId);
        Assert.Single(_h.Telemetry.Events(LogEvents.SignalMalformed));
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.MalformedSignals));
    }

    [Fact]
    public async Task ProcessAsync_DeadLetterSendFails_ReportsMalformedAndLaterRecords()
    {
        SeedDone(Prod);
        _deadLetters.ThrowOnSend = new IOException("dead-letter queue unreachable");

        var failed = await ProcessAsync(MalformedBody);

        Assert.Equal(["2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e02", "2b8e6c4d-9f1a-4e3b-b7c2-1a2b3c4d5e03"], failed);
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Null(_h.Store.Get(Staging));
    }

    [Fact]
    public async Task ProcessAsync_WaitingWork_SendsOneContinuationAndAcknowledgesRecord()
    {
        var failed = await ProcessAsync(OneGroupOneRecord);

        Assert.Empty(failed);
        var message = Assert.Single(_signals.Sent);
        Assert.Equal(SignalPublisher.MessageGroupId, message.GroupId);
        Assert.Equal($"continue-{SignalPublisher.Hash(Prod)}-9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01", message.DeduplicationId);
        Assert.Null(message.Attributes);
        var original = SignalCodec.Decode(Records(OneGroupOneRecord)[0].Body);
        Assert.Equal(original with { Kind = SignalKind.Continuation, Continuations = 1 }, SignalCodec.Decode(message.Body));
        var continued = Assert.Single(_h.Telemetry.Events(LogEvents.SignalContinued));
        Assert.Equal("export task still active", continued.GetProperty("reason").GetString());
        Assert.Equal("task-0001", continued.GetProperty("taskId").GetString());
        Assert.Equal(1, continued.GetProperty("continuations").GetInt32());
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.SignalsContinued));
    }

    [Fact]
    public async Task ProcessAsync_RedeliveredWithTheContinuationItAlreadySent_SendsANewContinuation()
    {
        // First attempt: the work is continued, then the process dies before the batch is acknowledged.
        var first = Records(OneGroupOneRecord);
        await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(first, CancellationToken.None);
        var continuation = Assert.Single(_signals.Sent);

        // Redelivered after the visibility timeout together with that continuation (it is next in the FIFO group):
        // one unit of both records. Were its continuation's id the first attempt's, SQS would drop it as a duplicate
        // while both records are deleted: the work would leave the queue unfinished.
        var again = first.Append(new QueueRecord("c0ffee00-1111-4222-8333-444455559999", continuation.Body)).ToList();
        await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(again, CancellationToken.None);
        await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry).ProcessAsync(again, CancellationToken.None);

        Assert.Equal(3, _signals.Sent.Count);
        Assert.NotEqual(continuation.DeduplicationId, _signals.Sent[1].DeduplicationId);
        Assert.Equal(_signals.Sent[1].DeduplicationId, _signals.Sent[2].DeduplicationId); // the same batch again: SQS drops the copy
    }

    [Fact]
    public async Task ProcessAsync_ContinuationStillWaiting_SendsNextContinuationWithCountPlusOne()
    {
        _h.Store.Put(Checkpoint.Start(Prod, T0 - (25 * Minute), DateTimeOffset.FromUnixTimeMilliseconds(T0 - (5 * Minute))));

        var failed = await ProcessAsync(ContinuationRecord);

        Assert.Empty(failed);
        var message = Assert.Single(_signals.Sent);
        Assert.Equal($"continue-{SignalPublisher.Hash(Prod)}-c0ffee00-1111-4222-8333-444455556601", message.DeduplicationId);
        var sent = SignalCodec.Decode(message.Body);
        Assert.Equal(SignalKind.Continuation, sent.Kind);
        Assert.Equal(4, sent.Continuations);
        Assert.Empty(_h.Telemetry.Events(LogEvents.EventsLate));
    }

    [Fact]
    public async Task ProcessAsync_ContinuationSendFails_ReportsRecordsAsFailed()
    {
        _signals.ThrowOnSend = new IOException("signal queue unreachable");

        var failed = await ProcessAsync(OneGroupThreeRecords);

        Assert.Equal(MessageIds(OneGroupThreeRecords), failed);
        Assert.Equal(3, failed.Count);
        Assert.Equal(2, _signals.SendCalls); // the continuation, then the re-queue of the failed work
        // The task exists and is recorded: the redelivered batch waits on it rather than creating another.
        Assert.Equal("task-0001", _h.Store.Get(Prod)!.InFlight!.TaskId);
        Assert.Equal(1, _h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task ProcessAsync_CancelledBeforeTheFirstRecord_ReportsEveryRecordAndTouchesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var processor = new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry);

        var failed = await processor.ProcessAsync(Records(ThreeGroupsFiveRecords), cts.Token);

        Assert.Equal(MessageIds(ThreeGroupsFiveRecords), failed);
        Assert.Null(_h.Store.Get(Prod));
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Empty(_signals.Sent);
        var batchFailed = Assert.Single(_h.Telemetry.Events(LogEvents.BatchFailed));
        Assert.Equal("the invocation's deadline is near; this record and every later one are reported as failed", batchFailed.GetProperty("reason").GetString());
        Assert.Equal(5, batchFailed.GetProperty("failedRecords").GetInt32());
        Assert.Equal([5.0], _h.Telemetry.MetricValues(MetricNames.BatchItemFailures));
    }

    [Fact]
    public async Task ProcessAsync_CancelledBetweenGroups_AcknowledgesTheFinishedGroupAndReportsTheRest()
    {
        using var cts = new CancellationTokenSource();
        var signals = new CancellingQueueSender(_signals, cts, throwAfterCancel: false);
        var processor = new ExportBatchProcessor(_h.NewCoordinator(), signals, _deadLetters, _h.Telemetry.Telemetry);

        var failed = await processor.ProcessAsync(Records(ThreeGroupsFiveRecords), cts.Token);

        // prod (records 01 and 03, one unit) finished with its continuation; staging, the next unit, never started.
        // 03 is reported too: FIFO order reports every record after the first one not processed.
        Assert.Equal(
            [
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b03",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04",
                "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b05",
            ],
            failed);
        Assert.Equal([Prod], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        Assert.Equal(Prod, SignalCodec.Decode(Assert.Single(_signals.Sent).Body).LogGroup);
        Assert.Null(_h.Store.Get(Staging));
        var batchFailed = Assert.Single(_h.Telemetry.Events(LogEvents.BatchFailed));
        Assert.Equal(Staging, batchFailed.GetProperty("logGroup").GetString());
        Assert.Equal("OperationCanceledException: The operation was canceled.", batchFailed.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ProcessAsync_CancelledInsideAGroup_ReportsThatGroupsFirstRecordAndEveryLaterOne()
    {
        using var cts = new CancellationTokenSource();
        var signals = new CancellingQueueSender(_signals, cts, throwAfterCancel: true);
        var processor = new ExportBatchProcessor(_h.NewCoordinator(), signals, _deadLetters, _h.Telemetry.Telemetry);

        var failed = await processor.ProcessAsync(Records(ThreeGroupsFiveRecords), cts.Token);

        Assert.Equal(MessageIds(ThreeGroupsFiveRecords), failed);
        Assert.Empty(_signals.Sent);
        // The task exists and is recorded: the redelivered batch waits on it rather than creating another.
        Assert.Equal("task-0001", _h.Store.Get(Prod)!.InFlight!.TaskId);
        Assert.Equal(Prod, Assert.Single(_h.Telemetry.Events(LogEvents.BatchFailed)).GetProperty("logGroup").GetString());
    }

    [Fact]
    public async Task ProcessAsync_CancellationThatIsNotTheCallers_RequeuesThatGroupAndGoesOn()
    {
        // An HTTP timeout of one log group's call is that group's failure, not the batch's.
        SeedDone(Prod);
        _h.Tasks.FailCreateFor(Staging, new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));

        var failed = await ProcessAsync(ThreeGroupsFiveRecords);

        Assert.Empty(failed);
        Assert.Equal("TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout", Assert.Single(_h.Telemetry.Events(LogEvents.WorkRetryLater)).GetProperty("error").GetString());
        Assert.Equal([Dev], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        Assert.Empty(_h.Telemetry.Events(LogEvents.BatchFailed));
    }

    [Fact]
    public async Task ProcessAsync_UnreadableCheckpoint_MovesThatGroupsWorkToDeadLettersAndGoesOn()
    {
        SeedDone(Prod);
        var garbage = "{ this is not a checkpoint"u8.ToArray();
        _h.Store.PutRaw(Staging, garbage);

        var failed = await ProcessAsync(ThreeGroupsFiveRecords);

        Assert.Empty(failed);
        // Both staging records, each as it came with its own id (SetAsideDetailTests covers what a replay gets back).
        Assert.Equal(["7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b02", "7f0c9b1e-2a4d-4f6b-8c3a-5d6e7f8a9b04"], _deadLetters.Sent.Select(m => m.DeduplicationId));
        Assert.All(_deadLetters.Sent, m => Assert.Equal(Staging, SignalCodec.Decode(m.Body).LogGroup));
        Assert.All(_deadLetters.Sent, m => Assert.StartsWith("CheckpointFormatException: checkpoint of '/aws/vpc/flow-logs/staging' is unreadable", m.Attributes![ExportBatchProcessor.SetAsideAttribute], StringComparison.Ordinal));
        // The bad object is never overwritten by a guess; the other groups were exported.
        Assert.Equal(garbage, _h.Store.RawOf(Staging));
        Assert.Equal([Dev], _h.Tasks.Tasks.Select(t => t.LogGroup).ToList());
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.WorkSetAside));
    }

    [Fact]
    public async Task ProcessAsync_PermanentRejection_MovesWorkToDeadLetters()
    {
        _h.Tasks.FailCreateFor(Prod, new ExportRejectedException("ResourceNotFoundException: The specified log group does not exist.", permanent: true));

        var failed = await ProcessAsync(OneGroupThreeRecords);

        Assert.Empty(failed);
        Assert.Equal(Records(OneGroupThreeRecords).Select(r => r.Body!), _deadLetters.Sent.Select(m => m.Body));
        Assert.All(_deadLetters.Sent, m => Assert.Equal("ExportRejectedException: ResourceNotFoundException: The specified log group does not exist.", m.Attributes![ExportBatchProcessor.SetAsideAttribute]));
        Assert.Empty(_signals.Sent);
    }

    [Fact]
    public async Task ProcessAsync_TransientRejection_RequeuedNotSetAside()
    {
        _h.Tasks.FailCreateFor(Prod, new ExportRejectedException("ThrottlingException: Rate exceeded"));

        var failed = await ProcessAsync(OneGroupThreeRecords);

        Assert.Empty(failed);
        Assert.Equal(3, _signals.Sent.Count(m => m.DeduplicationId.StartsWith("retry-", StringComparison.Ordinal)));
        Assert.Empty(_deadLetters.Sent);
    }

    /// <summary>Forwards to a recording sender, then cancels the batch's token (and, if told, throws as the SDK would).</summary>
    private sealed class CancellingQueueSender(RecordingQueueSender inner, CancellationTokenSource cts, bool throwAfterCancel) : IQueueSender
    {
        public async Task SendAsync(QueueMessage message, CancellationToken ct)
        {
            if (!throwAfterCancel)
            {
                await inner.SendAsync(message, ct);
            }

            await cts.CancelAsync();
            if (throwAfterCancel)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }
}
