using FlowLogEvents.Exports;

namespace FlowLogEvents.Local.Faults;

/// <summary>Crash points around checkpoint reads and writes (and between two log groups of one batch).</summary>
public sealed class CrashingCheckpointStore(ICheckpointStore inner, CrashSchedule schedule, ProcessDeath death) : ICheckpointStore
{
    public async Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct)
    {
        if (death.LastLogGroup is { } previous && !string.Equals(previous, logGroup, StringComparison.Ordinal))
        {
            await schedule.ReachAsync(CrashSteps.ExportBetweenLogGroups, death).ConfigureAwait(false);
        }

        death.LastLogGroup = logGroup;
        return await inner.LoadAsync(logGroup, ct).ConfigureAwait(false);
    }

    public async Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct)
    {
        await schedule.ReachAsync(CrashSteps.ExportBeforeCheckpointWrite, death).ConfigureAwait(false);
        var written = await inner.TryWriteAsync(checkpoint, expectedETag, ct).ConfigureAwait(false);
        await schedule.ReachAsync(CrashSteps.ExportAfterCheckpointWrite, death).ConfigureAwait(false);
        return written;
    }

    public Task<string?> QuarantineAsync(string logGroup, CancellationToken ct) => inner.QuarantineAsync(logGroup, ct);

    public Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct) => inner.MarkExportedAsync(logGroup, at, ct);

    public Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct) => inner.FindExportedMarkerAsync(logGroup, ct);
}
