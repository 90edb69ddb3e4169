using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Tests.Exports;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Verification;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Verification;

/// <summary>The coordinator with verification: a completed window is queued, checked, repaired and made final on the schedule.</summary>
public sealed class ExportVerificationTests : IDisposable
{
    private readonly CoordinatorHarness _h = new(DefaultPolicy with { Verification = new VerificationPolicy() });
    private readonly FakeLogEventSource _logs = new();
    private readonly InMemoryExportedObjects _exports = new();

    public void Dispose() => _h.Dispose();

    private Task<ExportOutcome> RunAsync() =>
        new ExportCoordinator(_h.Store, _h.Tasks, _h.Policy, _h.Time, _h.Telemetry.Telemetry, new VerificationRunner(_h.Store, new WindowVerifier(_logs, _exports), _h.Policy, _h.Time, _h.Telemetry.Telemetry))
            .RunAsync(CoveredByTheFirstWindow, CancellationToken.None);

    /// <summary>Events of [T0 - 30 min, T0 - 20 min], signalled by T0 - 20 min: the first window, [T0 - 30 min, T0 - 15 min], covers them all.</summary>
    private static ExportWork CoveredByTheFirstWindow { get; } = ExportWork.From(DataSignal(T0 - (30 * Minute), T0 - (20 * Minute), T0 - (21 * Minute), T0 - (20 * Minute)));

    /// <summary>Runs until the first window's task exists, completes it with <paramref name="exported"/> as its output.</summary>
    private async Task<FakeExportTask> ExportFirstWindowAsync(params LogEventKey[] exported)
    {
        await RunAsync();
        var task = Assert.Single(_h.Tasks.Tasks);
        task.Status = ExportTaskStatus.Completed;
        _exports.PutExport($"{Destination}/{task.TaskId}/eni-a-all/000000.gz", exported);
        _h.Advance(Minute);
        return task;
    }

    [Fact]
    public async Task RunAsync_WindowCompleted_QueuesItsChecksInTheSameWriteAndWaitsForThem()
    {
        var held = new LogEventKey(T0 - (20 * Minute), "record 1");
        _logs.Add("eni-a-all", held);
        var task = await ExportFirstWindowAsync(held);

        var outcome = await RunAsync();

        var advanced = _h.Store.History.First(c => c.ExportsCompleted == 1);
        var entry = Assert.Single(advanced.Verifications);
        Assert.Equal((task.Spec.From, task.Spec.To, task.TaskId, _h.Time.GetUtcNow() + TimeSpan.FromMinutes(5)), (entry.From, entry.To, entry.TaskId, entry.DueAt));
        Assert.Equal(ExportState.Waiting, outcome.State);
        Assert.StartsWith("exported windows await verification (next check due ", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _logs.Counts);
    }

    [Fact]
    public async Task RunAsync_ExportMissedARecord_FirstCheckRepairsItExactlyAndTheFinalCheckEndsTheWork()
    {
        var onTime = new LogEventKey(T0 - (20 * Minute), "record 1");
        var missed = new LogEventKey(T0 - (19 * Minute), "record 2, not yet available when the task read its range");
        _logs.Add("eni-a-all", onTime, missed);
        var task = await ExportFirstWindowAsync(onTime);
        await RunAsync();

        _h.Advance(5 * Minute);
        var first = await RunAsync();

        Assert.Equal(ExportState.Waiting, first.State);
        var repairKey = $"{Destination}/repair-{task.Spec.From}-{task.Spec.To}/eni-a-all/000000.gz";
        Assert.Equal([ExportLineFormat.Format(missed)], _exports.LinesOf(repairKey));
        var entry = Assert.Single(_h.Checkpoint!.Verifications);
        Assert.Equal((1, 1L, VerificationOutcome.Repaired), (entry.Checks, entry.Repaired, entry.LastOutcome));
        Assert.Equal(1L, _h.Checkpoint.RecordsRepaired);
        var verified = Assert.Single(_h.Telemetry.Events(LogEvents.WindowVerified));
        Assert.Equal((2L, 1L, 1L, 1L, false), (verified.GetProperty("held").GetInt64(), verified.GetProperty("exported").GetInt64(), verified.GetProperty("missing").GetInt64(), verified.GetProperty("repaired").GetInt64(), verified.GetProperty("final").GetBoolean()));
        Assert.Equal([1d], _h.Telemetry.MetricValues(MetricNames.RecordsRepaired));

        _h.Advance((12 * Hour) + (15 * Minute));
        var final = await RunAsync();

        Assert.Equal(ExportState.Done, final.State);
        Assert.Empty(_h.Checkpoint!.Verifications);
        Assert.Equal((1L, 1L, task.Spec.To), (_h.Checkpoint.WindowsFinal, _h.Checkpoint.RecordsRepaired, FlowLogEvents.Verification.VerificationSchedule.FinalThrough(_h.Checkpoint)));
        Assert.Equal(1, _exports.Creates);
    }

    [Fact]
    public async Task RunAsync_NothingDue_ReadsTheCheckpointOnlyOnceForExportAndVerification()
    {
        var held = new LogEventKey(T0 - (20 * Minute), "record 1");
        _logs.Add("eni-a-all", held);
        await ExportFirstWindowAsync(held);
        await RunAsync();
        var loads = _h.Store.Loads;

        var outcome = await RunAsync();

        Assert.Equal(ExportState.Waiting, outcome.State);
        Assert.Equal(loads + 1, _h.Store.Loads);
        Assert.Equal(0, _logs.Counts);
    }

    [Fact]
    public async Task RunAsync_VerificationSourceThrows_LogsUnverifiableAndTheExportGoesOn()
    {
        var held = new LogEventKey(T0 - (20 * Minute), "record 1");
        _logs.Add("eni-a-all", held);
        await ExportFirstWindowAsync(held);
        await RunAsync();
        _logs.FailNextCount = new InvalidOperationException("AccessDeniedException: not authorized to perform: logs:StartQuery");

        _h.Advance(5 * Minute);
        var outcome = await RunAsync();

        Assert.Equal(ExportState.Waiting, outcome.State);
        var line = Assert.Single(_h.Telemetry.Events(LogEvents.WindowUnverifiable));
        Assert.Equal("InvalidOperationException: AccessDeniedException: not authorized to perform: logs:StartQuery", line.GetProperty("error").GetString());
        Assert.Equal([1d], _h.Telemetry.MetricValues(MetricNames.WindowsUnverifiable));
        var entry = Assert.Single(_h.Checkpoint!.Verifications);
        Assert.Equal((0, 1, _h.Time.GetUtcNow() + TimeSpan.FromMinutes(5)), (entry.Checks, entry.Failures, entry.DueAt));
    }
}
