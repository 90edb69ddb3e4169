using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Exports;

/// <summary>One SQS record as the export function sees it.</summary>
public sealed record QueueRecord(string MessageId, string? Body);

/// <summary>
/// Processes one SQS FIFO batch: coalesces its signals per log group and runs the export state
/// machine once per log group. Work that cannot finish now is sent back to the queue as a
/// continuation and its records are acknowledged, so a long but healthy export never raises a
/// record's receive count (only failures do, and only failures reach the dead-letter queue).
/// Every record counts as failed until processed; at the first failure, it and every later record
/// are reported, in order, as FIFO requires.
/// </summary>
public sealed class ExportBatchProcessor
{
    /// <summary>On a malformed record in the dead-letter queue: what is wrong with it (a replay leaves it there).</summary>
    public const string ErrorAttribute = "flowlogevents-error";

    /// <summary>On a record whose work was set aside: the error that stopped it (a replay, once the cause is fixed, brings it back).</summary>
    public const string SetAsideAttribute = "flowlogevents-set-aside";

    public const string SourceMessageAttribute = "flowlogevents-source-message-id";

    /// <summary>SQS's limit on MessageDeduplicationId.</summary>
    private const int MaxDeduplicationIdLength = 128;

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
            "batch.failed",
            ("logGroup", unit.Work?.LogGroup),
            ("messageId", unit.FirstMessageId),
            ("reason", reason),
            ("error", $"{ex.GetType().Name}: {ex.Message}"),
            ("failedRecords", failed.Count));
        _telemetry.Metric("BatchItemFailures", failed.Count, MetricUnit.Count);
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
            var work = unit.Work!;
            var error = $"{ex.GetType().Name}: {ex.Message}";
            foreach (var record in unit.Records)
            {
                await SendToDeadLettersAsync(record.Body!, SetAsideAttribute, error, record.MessageId, ct).ConfigureAwait(false);
            }

            _telemetry.Error(
                "work.set-aside",
                ("logGroup", work.LogGroup),
                ("messageId", unit.FirstMessageId),
                ("records", unit.Records.Count),
                ("dataRanges", work.DataRanges.Count),
                ("reason", error),
                ("action", "each record moved to the dead-letter queue as it came; replay them once the cause is fixed"));
            _telemetry.Metric("WorkSetAside", 1, MetricUnit.Count);
        }
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
        var deduplicationId = unit.MessageIds.Count == 1
            ? $"continue-{SignalPublisher.Hash(work.LogGroup)}-{unit.FirstMessageId}"
            : $"continue-{SignalPublisher.Hash(work.LogGroup)}-{unit.FirstMessageId}-{SignalPublisher.Hash(string.Join(',', unit.MessageIds))}";
        await _signals.SendAsync(new QueueMessage(SignalCodec.Encode(continuation), SignalPublisher.MessageGroupId, deduplicationId), ct).ConfigureAwait(false);
        _telemetry.Info(
            "signal.continued",
            ("logGroup", work.LogGroup),
            ("reason", outcome.Reason),
            ("taskId", outcome.TaskId),
            ("exportedThrough", outcome.ExportedThrough),
            ("target", work.Merged.ExportThrough),
            ("continuations", continuation.Continuations));
        _telemetry.Metric("SignalsContinued", 1, MetricUnit.Count);
    }

    private async Task SetAsideMalformedAsync(Unit unit, CancellationToken ct)
    {
        await SendToDeadLettersAsync(string.IsNullOrEmpty(unit.Body) ? "(empty)" : unit.Body, ErrorAttribute, unit.Error!, unit.FirstMessageId, ct).ConfigureAwait(false);
        _telemetry.Error("signal.malformed", ("messageId", unit.FirstMessageId), ("reason", unit.Error), ("action", "moved to the dead-letter queue"));
        _telemetry.Metric("MalformedSignals", 1, MetricUnit.Count);
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
        var deduplicationId = messageId.Length <= MaxDeduplicationIdLength ? messageId : "digest-" + SignalPublisher.Hash(messageId);
        return _deadLetters.SendAsync(new QueueMessage(body, SignalPublisher.MessageGroupId, deduplicationId, attributes), ct);
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
                units.Add(new Unit(i, records[i].MessageId) { Error = ex.Message, Body = records[i].Body });
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

        public string? Error { get; init; }

        public string? Body { get; init; }
    }
}
