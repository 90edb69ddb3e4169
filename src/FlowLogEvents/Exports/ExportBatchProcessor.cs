using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Exports;

/// <summary>
/// Processes one SQS FIFO batch: coalesces its signals per log group and runs the export state
/// machine once per log group. Work that cannot finish now is sent back to the queue as a
/// continuation and its records are acknowledged, so a long but healthy export never raises a
/// record's receive count (only failures do, and only failures reach the dead-letter queue).
/// Every record counts as failed until processed; at the first failure, it and every later record
/// are reported, in order, as FIFO requires.
/// </summary>
/// <remarks>
/// One log group must not hold the others hostage in the single FIFO group:
/// <list type="bullet">
/// <item>An error a retry cannot fix (checkpoint unreadable or missing, export refused for good) sets that log group's
/// work aside in the dead-letter queue at once.</item>
/// <item>Any other error of a log group (a task CloudWatch Logs does not know, an unknown status, contention, a service
/// that stays unreachable after the SDK's retries) re-queues each of its records as it was, with
/// <see cref="Signal.Failures"/> plus one, and the batch goes on; at <see cref="MaxFailures"/> runs in a row the work is
/// set aside instead. Only when that re-queue itself fails is the record reported failed (with every later one).</item>
/// <item>A batch that comes back (a record's ApproximateReceiveCount above 1: the last attempt ended without a verdict,
/// because the function died or timed out) is isolated: every log group's records but the first group's are re-sent as
/// messages of their own before anything runs, then only the first group runs. A log group whose work kills the
/// function thus reaches the dead-letter queue (by the queue's redrive policy) alone.</item>
/// </list>
/// </remarks>
public sealed class ExportBatchProcessor
{
    /// <summary>On a malformed record in the dead-letter queue: what is wrong with it (a replay leaves it there).</summary>
    public const string ErrorAttribute = "flowlogevents-error";

    /// <summary>On a record whose work was set aside: the error that stopped it (a replay, once the cause is fixed, brings it back).</summary>
    public const string SetAsideAttribute = "flowlogevents-set-aside";

    public const string SourceMessageAttribute = "flowlogevents-source-message-id";

    /// <summary>Runs in a row a log group's work may fail (errors not set aside at once) before it is set aside.</summary>
    public const int MaxFailures = 3;

    private readonly ExportCoordinator _coordinator;
    private readonly IQueueSender _signals;
    private readonly IQueueSender _deadLetters;
    private readonly Telemetry _telemetry;

    public ExportBatchProcessor(ExportCoordinator coordinator, IQueueSender signals, IQueueSender deadLetters, Telemetry telemetry)
    {
        _coordinator = coordinator;
        _signals = signals;
        _deadLetters = deadLetters;
        _telemetry = telemetry;
    }

    /// <returns>The message ids to report as failed, in batch order.</returns>
    /// <remarks>
    /// When <paramref name="ct"/> fires (the invocation's deadline is near), the unit it stops and every later
    /// record are reported as failed, like any other failure, instead of failing the whole batch. A cancellation
    /// that is not <paramref name="ct"/>'s (an HTTP timeout) still propagates.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ProcessAsync(IReadOnlyList<QueueRecord> records, CancellationToken ct)
    {
        var units = Plan(records, _coordinator.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        var first = units.Find(u => u.Work is not null);
        var others = units.Where(u => u.Work is not null && u != first).ToList();
        if (others.Count > 0 && records.Max(r => r.ReceiveCount) is var receiveCount and > 1)
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                await IsolateAsync(others, receiveCount, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || ct.IsCancellationRequested)
            {
                // Nothing ran yet: the whole batch comes back (the re-sent copies, if any, are harmless duplicates).
                return ReportFailed(records, units[0], ex, "isolating a redelivered batch failed; every record is reported as failed");
            }

            // Malformed records are still set aside here (cheap, and an empty body cannot be re-sent).
            units = units.Where(u => u == first || u.Work is null).ToList();
        }

        foreach (var unit in units)
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                await (unit.Work is null ? SetAsideMalformedAsync(unit, ct) : ExportOrSetAsideAsync(unit, ct)).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (ct.IsCancellationRequested)
            {
                return ReportFailed(records, unit, ex, "the invocation's deadline is near; this record and every later one are reported as failed");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return ReportFailed(records, unit, ex, "processing threw; this record and every later one are reported as failed");
            }
        }

        return [];
    }

    private List<string> ReportFailed(IReadOnlyList<QueueRecord> records, Unit unit, Exception ex, string reason)
    {
        var failed = records.Skip(unit.FirstIndex).Select(r => r.MessageId).ToList();
        _telemetry.Error(
            LogEvents.BatchFailed,
            ("logGroup", unit.Work?.LogGroup),
            ("messageId", unit.FirstMessageId),
            ("reason", reason),
            ("error", $"{ex.GetType().Name}: {ex.Message}"),
            ("failedRecords", failed.Count));
        _telemetry.Metric(MetricNames.BatchItemFailures, failed.Count, MetricUnit.Count);
        return failed;
    }

    /// <summary>
    /// Runs a log group's work. Errors a retry cannot fix for that log group (its checkpoint is
    /// unreadable or was deleted, or CloudWatch Logs refuses the export for good) move its work to the dead-letter
    /// queue instead of blocking the single FIFO group for every other log group; the checkpoint is
    /// left untouched, never overwritten by a guess.
    /// <para>
    /// Every record of the unit goes to the dead-letter queue as it came (its own body, its message id as the
    /// deduplication id), not the merged work: a replay then asks for exactly what the originals asked for, every
    /// stream's range with its window, and a redelivered batch that carries one more record sets that record aside
    /// too (SQS drops only the copies of records already sent). A body is at most <see cref="SignalCodec.MaxBodyChars"/>
    /// characters (longer ones are malformed), far below SQS's 256 KiB, and a batch has at most 10 records, so
    /// nothing has to be cut. If a send fails midway the unit is reported failed and redelivered; the records sent
    /// already are dropped as copies within SQS's 5-minute deduplication interval, and a later copy only replays
    /// the same idempotent work twice.
    /// </para>
    /// </summary>
    private async Task ExportOrSetAsideAsync(Unit unit, CancellationToken ct)
    {
        try
        {
            await ExportAsync(unit, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CheckpointFormatException or CheckpointMissingException or ExportRejectedException { Permanent: true })
        {
            await SetAsideAsync(unit, $"{ex.GetType().Name}: {ex.Message}", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            await RetryLaterAsync(unit, ex, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each record of the unit goes to the dead-letter queue as it came (its own body, its own message id as the
    /// deduplication id), with the error; a failure count is cleared, so a replay after the fix starts afresh.
    /// </summary>
    private async Task SetAsideAsync(Unit unit, string error, CancellationToken ct)
    {
        var work = unit.Work!;
        foreach (var (record, signal) in unit.Records.Zip(unit.Signals, (r, s) => (r, s.Signal)))
        {
            var body = signal.Failures == 0 ? record.Body! : SignalCodec.Encode(signal with { Failures = 0 });
            await SendToDeadLettersAsync(body, SetAsideAttribute, error, record.MessageId, ct).ConfigureAwait(false);
        }

        _telemetry.Error(
            LogEvents.WorkSetAside,
            ("logGroup", work.LogGroup),
            ("messageId", unit.FirstMessageId),
            ("records", unit.Records.Count),
            ("dataRanges", work.DataRanges.Count),
            ("reason", error),
            ("action", "each record moved to the dead-letter queue as it came; replay them once the cause is fixed"));
        _telemetry.Metric(MetricNames.WorkSetAside, 1, MetricUnit.Count);
    }

    /// <summary>
    /// A log group's run failed with an error that is not set aside at once: its records go back to the queue, each as
    /// it was (data ranges and all) with the failure count plus one, so the batch can go on; at <see cref="MaxFailures"/>
    /// the work is set aside instead. Throws when the queue cannot be reached (the record is then reported failed).
    /// </summary>
    private async Task RetryLaterAsync(Unit unit, Exception ex, CancellationToken ct)
    {
        var work = unit.Work!;
        var error = $"{ex.GetType().Name}: {ex.Message}";
        var failures = work.Merged.Failures + 1;
        if (failures >= MaxFailures)
        {
            await SetAsideAsync(unit, $"{error} (failed {failures} runs in a row)", ct).ConfigureAwait(false);
            return;
        }

        foreach (var (messageId, signal) in unit.Signals)
        {
            // The same record failing the same time again (a redelivered batch) sends the same id: SQS drops the copy.
            var deduplicationId = Ids.Retry(work.LogGroup, messageId, failures);
            await _signals.SendAsync(new QueueMessage(SignalCodec.Encode(signal with { Failures = failures }), Ids.MessageGroupId, deduplicationId), ct).ConfigureAwait(false);
        }

        _telemetry.Warn(
            LogEvents.WorkRetryLater,
            ("logGroup", work.LogGroup),
            ("messageId", unit.FirstMessageId),
            ("error", error),
            ("failures", failures),
            ("maxFailures", MaxFailures),
            ("records", unit.Signals.Count),
            ("action", "its records were re-queued with the failure count; the rest of the batch goes on"));
        _telemetry.Metric(MetricNames.WorkRetried, 1, MetricUnit.Count);
    }

    /// <summary>Re-sends every record of <paramref name="units"/> unchanged, each as a message of its own.</summary>
    private async Task IsolateAsync(IReadOnlyList<Unit> units, int receiveCount, CancellationToken ct)
    {
        foreach (var unit in units)
        {
            foreach (var record in unit.Records)
            {
                await _signals.SendAsync(new QueueMessage(record.Body!, Ids.MessageGroupId, Ids.Isolate(record.MessageId)), ct).ConfigureAwait(false);
            }
        }

        _telemetry.Warn(
            LogEvents.BatchIsolated,
            ("receiveCount", receiveCount),
            ("logGroupsResent", units.Count),
            ("recordsResent", units.Sum(u => u.Records.Count)),
            ("reason", "the batch came back without a verdict (the function died or timed out): each log group's records but the first's were re-sent as messages of their own"));
        _telemetry.Metric(MetricNames.BatchesIsolated, 1, MetricUnit.Count);
    }

    private async Task ExportAsync(Unit unit, CancellationToken ct)
    {
        var work = unit.Work!;
        var outcome = await _coordinator.RunAsync(work, ct).ConfigureAwait(false);
        if (outcome.State == ExportState.Done)
        {
            return;
        }

        var continuation = work.Continuation();
        // Derived from every record of the unit: a redelivered batch that is the same sends the same id (SQS drops
        // the copy, the loop does not fork), but a redelivery that also carries the continuation its first attempt
        // already sent must not reuse that continuation's id, or SQS drops the only message that carries the work on.
        // Subtle but sound (code review, issue 12): dropping a copy is safe only because of FIFO order. A record is
        // received again only after every earlier message of the group was handled, so the continuation whose copy SQS
        // drops was itself delivered (or is still queued) and carries the same work on; a standard queue would not
        // promise that.
        var deduplicationId = Ids.Continue(work.LogGroup, unit.FirstMessageId, unit.MessageIds);
        await _signals.SendAsync(new QueueMessage(SignalCodec.Encode(continuation), Ids.MessageGroupId, deduplicationId), ct).ConfigureAwait(false);
        _telemetry.Info(
            LogEvents.SignalContinued,
            ("logGroup", work.LogGroup),
            ("reason", outcome.Reason),
            ("taskId", outcome.TaskId),
            ("exportedThrough", outcome.ExportedThrough),
            ("target", work.Merged.ExportThrough),
            ("continuations", continuation.Continuations));
        _telemetry.Metric(MetricNames.SignalsContinued, 1, MetricUnit.Count);
    }

    private async Task SetAsideMalformedAsync(Unit unit, CancellationToken ct)
    {
        await SendToDeadLettersAsync(string.IsNullOrEmpty(unit.Body) ? "(empty)" : unit.Body, ErrorAttribute, unit.Error!, unit.FirstMessageId, ct).ConfigureAwait(false);
        _telemetry.Error(LogEvents.SignalMalformed, ("messageId", unit.FirstMessageId), ("reason", unit.Error), ("action", "moved to the dead-letter queue"));
        _telemetry.Metric(MetricNames.MalformedSignals, 1, MetricUnit.Count);
    }

    /// <remarks>
    /// The deduplication id is the source record's message id: a record has one body, so the same id means the same
    /// message. SQS message ids are 36 characters; one past SQS's 128-character limit is replaced by its digest.
    /// </remarks>
    private Task SendToDeadLettersAsync(string body, string reasonAttribute, string reason, string messageId, CancellationToken ct)
    {
        var attributes = new Dictionary<string, string>
        {
            [reasonAttribute] = reason,
            [SourceMessageAttribute] = messageId,
        };
        return _deadLetters.SendAsync(new QueueMessage(body, Ids.MessageGroupId, Ids.DeadLetter(messageId), attributes), ct);
    }

    /// <summary>
    /// Malformed records (including signals whose times are outside <see cref="SignalLimits"/> at
    /// <paramref name="now"/>) stay where they are; signals merge into their log group's first unit.
    /// </summary>
    private static List<Unit> Plan(IReadOnlyList<QueueRecord> records, long now)
    {
        var units = new List<Unit>();
        var byLogGroup = new Dictionary<string, Unit>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            Signal signal;
            try
            {
                signal = SignalCodec.Decode(records[i].Body, now);
            }
            catch (SignalFormatException ex)
            {
                var malformed = new Unit(i, records[i].MessageId) { Error = ex.Message, Body = records[i].Body };
                units.Add(malformed);
                continue;
            }

            if (byLogGroup.TryGetValue(signal.LogGroup, out var unit))
            {
                unit.Work = unit.Work!.Merge(signal);
                unit.Records.Add(records[i]);
            }
            else
            {
                unit = new Unit(i, records[i].MessageId) { Work = ExportWork.From(signal) };
                unit.Records.Add(records[i]);
                byLogGroup.Add(signal.LogGroup, unit);
                units.Add(unit);
            }

            unit.Signals.Add((records[i].MessageId, signal));
        }

        return units;
    }

    private sealed class Unit(int firstIndex, string firstMessageId)
    {
        public int FirstIndex { get; } = firstIndex;

        public string FirstMessageId { get; } = firstMessageId;

        /// <summary>Every record merged into this unit, in batch order (none for a malformed record's unit).</summary>
        public List<QueueRecord> Records { get; } = [];

        /// <summary>The ids of every record merged into this unit, in batch order.</summary>
        public List<string> MessageIds => Records.Count == 0 ? [FirstMessageId] : Records.ConvertAll(r => r.MessageId);

        public ExportWork? Work { get; set; }

        /// <summary>Each record's signal as it came, in batch order (empty for a malformed record).</summary>
        public List<(string MessageId, Signal Signal)> Signals { get; } = [];

        public string? Error { get; init; }

        public string? Body { get; init; }
    }
}
