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
    public const string ErrorAttribute = "flowlogevents-error";
    public const string SourceMessageAttribute = "flowlogevents-source-message-id";

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
            await SendToDeadLettersAsync(SignalCodec.Encode(work.Merged), error, unit.FirstMessageId, ct).ConfigureAwait(false);
            _telemetry.Error("work.set-aside", ("logGroup", work.LogGroup), ("messageId", unit.FirstMessageId), ("reason", error), ("action", "moved to the dead-letter queue; replay it once the cause is fixed"));
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
        await SendToDeadLettersAsync(string.IsNullOrEmpty(unit.Body) ? "(empty)" : unit.Body, unit.Error!, unit.FirstMessageId, ct).ConfigureAwait(false);
        _telemetry.Error("signal.malformed", ("messageId", unit.FirstMessageId), ("reason", unit.Error), ("action", "moved to the dead-letter queue"));
        _telemetry.Metric("MalformedSignals", 1, MetricUnit.Count);
    }

    private Task SendToDeadLettersAsync(string body, string error, string messageId, CancellationToken ct)
    {
        var attributes = new Dictionary<string, string>
        {
            [ErrorAttribute] = error,
            [SourceMessageAttribute] = messageId,
        };
        return _deadLetters.SendAsync(new QueueMessage(body, SignalPublisher.MessageGroupId, messageId, attributes), ct);
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
                unit.MessageIds.Add(records[i].MessageId);
            }
            else
            {
                unit = new Unit(i, records[i].MessageId) { Work = ExportWork.From(signal) };
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

        /// <summary>The ids of every record merged into this unit, in batch order.</summary>
        public List<string> MessageIds { get; } = [firstMessageId];

        public ExportWork? Work { get; set; }

        public string? Error { get; init; }

        public string? Body { get; init; }
    }
}
