using FlowLogEvents.Exports;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Verification;

/// <summary>
/// The I/O shell of verification for one log group: takes the windows due (<see cref="VerificationSchedule.Due"/>), checks
/// each (<see cref="WindowVerifier"/>), records the result with compare-and-swap (on 412 it re-reads and applies the result
/// again if the entry is unchanged, else drops it: another runner's check stands), and logs and counts what it found.
/// </summary>
public sealed class VerificationRunner(ICheckpointStore store, WindowVerifier verifier, ExportPolicy policy, TimeProvider time, Telemetry telemetry)
{
    private const int MaxWriteAttempts = 5;

    private VerificationPolicy Verification => policy.Verification ?? throw new InvalidOperationException("verification is off in this policy");

    /// <summary>
    /// Checks the windows due now (at most <see cref="VerificationPolicy.MaxWindowsPerRun"/>); returns when the next check is
    /// due (null: nothing awaits one). <paramref name="known"/> is the checkpoint as the caller last read it: when nothing
    /// in it is due, the answer comes from it without reading the checkpoint again (the export run's writes after that read
    /// never remove a pending window; a window another runner queued meanwhile is that runner's to check).
    /// </summary>
    public async Task<DateTimeOffset?> RunDueAsync(string logGroup, Checkpoint? known, CancellationToken ct)
    {
        if (known is not null && VerificationSchedule.Due(known, time.GetUtcNow()).Count == 0)
        {
            return VerificationSchedule.NextDue(known);
        }

        var stored = await store.LoadAsync(logGroup, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        for (var done = 0; done < Verification.MaxWindowsPerRun; done++)
        {
            var now = time.GetUtcNow();
            var due = VerificationSchedule.Due(stored.Value, now);
            if (due.Count == 0)
            {
                break;
            }

            var entry = due[0];
            var result = await VerifyAsync(logGroup, entry, ct).ConfigureAwait(false);
            var checkedAt = time.GetUtcNow();
            Report(logGroup, entry, result, VerificationSchedule.IsFinalCheck(entry, checkedAt, Verification), checkedAt);
            stored = await RecordAsync(logGroup, stored, entry, result, checkedAt, ct).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }
        }

        return VerificationSchedule.NextDue(stored.Value);
    }

    /// <summary>
    /// One check; any failure of the sources (a service error after the SDK's retries, a denied call, a timeout) makes the
    /// window unverifiable for now, alarmed and tried again later, and never stops the log group's exports.
    /// </summary>
    private async Task<VerificationResult> VerifyAsync(string logGroup, PendingVerification entry, CancellationToken ct)
    {
        try
        {
            return await verifier.VerifyAsync(logGroup, policy.DestinationPrefix(logGroup), entry, Verification.Repair, ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure of a check has the same answer: unverifiable now, retried, alarmed. Cancellation still ends the run.
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return VerificationResult.Unverifiable($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<StoredCheckpoint?> RecordAsync(string logGroup, StoredCheckpoint stored, PendingVerification entry, VerificationResult result, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (VerificationSchedule.Apply(stored.Value, entry, result, now, Verification) is not { } next)
            {
                return stored;
            }

            if (await store.TryWriteAsync(next, stored.ETag, ct).ConfigureAwait(false) is { } etag)
            {
                return new StoredCheckpoint(next, etag);
            }

            telemetry.Info(LogEvents.CheckpointConflict, ("logGroup", logGroup), ("step", "verify"), ("reason", "another writer changed the checkpoint; re-reading"));
            telemetry.Metric(MetricNames.CheckpointConflicts, 1, MetricUnit.Count);
            if (await store.LoadAsync(logGroup, ct).ConfigureAwait(false) is not { } reread)
            {
                return null;
            }

            stored = reread;
        }

        throw new CheckpointContentionException($"checkpoint of '{logGroup}' kept changing while a verification of [{entry.From}, {entry.To}] was recorded");
    }

    private void Report(string logGroup, PendingVerification entry, VerificationResult result, bool final, DateTimeOffset now)
    {
        var lag = (now - entry.DueAt).TotalMilliseconds;
        telemetry.Metric(MetricNames.VerificationLag, Math.Max(0, lag), MetricUnit.Milliseconds);
        telemetry.Metric(MetricNames.VerificationBytesScanned, result.BytesScanned, MetricUnit.Bytes);
        if (result.Outcome == VerificationOutcome.Unverifiable)
        {
            telemetry.Error(LogEvents.WindowUnverifiable, ("logGroup", logGroup), ("from", entry.From), ("to", entry.To), ("taskId", entry.TaskId), ("failures", entry.Failures + 1), ("error", result.Error), ("action", $"checked again in {(long)Verification.RetryAfter.TotalSeconds} s"));
            telemetry.Metric(MetricNames.WindowsUnverifiable, 1, MetricUnit.Count);
            return;
        }

        foreach (var stream in result.Streams)
        {
            if (stream.Repaired > 0)
            {
                telemetry.Info(LogEvents.WindowRepaired, ("logGroup", logGroup), ("logStream", stream.LogStream), ("from", entry.From), ("to", entry.To), ("held", stream.Held), ("exported", stream.Exported), ("repaired", stream.Repaired), ("folder", RepairLayout.Folder(entry.From, entry.To)));
            }

            if (stream.Surplus > 0)
            {
                telemetry.Warn(LogEvents.WindowSurplus, ("logGroup", logGroup), ("logStream", stream.LogStream), ("from", entry.From), ("to", entry.To), ("held", stream.Held), ("exported", stream.Exported), ("surplus", stream.Surplus), ("action", "reported; exported data is never deleted"));
            }

            if (stream.Unrepaired > 0)
            {
                telemetry.Error(LogEvents.WindowShort, ("logGroup", logGroup), ("logStream", stream.LogStream), ("from", entry.From), ("to", entry.To), ("held", stream.Held), ("exported", stream.Exported), ("missing", stream.Unrepaired), ("action", Verification.Repair ? $"checked again in {(long)Verification.RetryAfter.TotalSeconds} s" : "reported (LATE_EVENTS=report): not written"));
            }
        }

        telemetry.Info(
            LogEvents.WindowVerified,
            ("logGroup", logGroup),
            ("from", entry.From),
            ("to", entry.To),
            ("taskId", entry.TaskId),
            ("check", entry.Checks + 1),
            ("final", final),
            ("dueAt", entry.DueAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("lateMs", (long)Math.Max(0, lag)),
            ("outcome", result.Outcome.ToString()),
            ("held", result.Held),
            ("exported", result.Exported),
            ("missing", result.Missing),
            ("repaired", result.Repaired),
            ("surplus", result.Surplus),
            ("unrepaired", result.Unrepaired),
            ("objectsRead", result.ObjectsRead),
            ("bytesRead", result.BytesRead),
            ("objectsWritten", result.ObjectsWritten),
            ("bytesScanned", (long)result.BytesScanned));
        telemetry.Metric(MetricNames.WindowsVerified, 1, MetricUnit.Count);
        telemetry.Metric(MetricNames.RecordsMissing, result.Missing, MetricUnit.Count);
        telemetry.Metric(MetricNames.RecordsRepaired, result.Repaired, MetricUnit.Count);
        telemetry.Metric(MetricNames.DuplicatesFound, result.Surplus, MetricUnit.Count);
        telemetry.Metric(MetricNames.RecordsUnrepaired, result.Unrepaired, MetricUnit.Count);
    }
}
