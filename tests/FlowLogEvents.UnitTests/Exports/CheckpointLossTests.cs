using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>A checkpoint that disappears is never recreated from a guess: the work is set aside and counted.</summary>
public sealed class CheckpointLossTests : IDisposable
{
    private readonly CoordinatorHarness _h = new();
    private readonly RecordingQueueSender _signals = new();
    private readonly RecordingQueueSender _deadLetters = new();

    public void Dispose() => _h.Dispose();

    private Task<IReadOnlyList<string>> ProcessAsync(Signal signal) =>
        new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry)
            .ProcessAsync([new QueueRecord("m-1", SignalCodec.Encode(signal))], CancellationToken.None);

    private static Signal Data() => DataSignal(T0 - (40 * Minute), T0 - (30 * Second), T0 - Minute, T0);

    [Fact]
    public async Task RunAsync_AnotherRunnerInitializesBetweenLoadAndMarkerLookup_GoesOnWithItsCheckpointNotMissing()
    {
        // Two runners initialise a new log group at once: this one found no checkpoint, then the other wrote the
        // checkpoint and its marker before this one looked for the marker.
        _h.Store.BeforeNextMarkerLookup(() =>
        {
            _h.Store.Put(Checkpoint.Start(LogGroup, T0 - (40 * Minute), DateTimeOffset.FromUnixTimeMilliseconds(T0)));
            _h.Store.MarkExportedAsync(LogGroup, DateTimeOffset.FromUnixTimeMilliseconds(T0), CancellationToken.None).GetAwaiter().GetResult();
        });

        var outcome = await _h.RunAsync(ExportWork.From(Data()));

        Assert.Equal(ExportState.Waiting, outcome.State);
        Assert.Empty(_h.Telemetry.Events(LogEvents.CheckpointMissing));
        Assert.Equal(T0 - (40 * Minute), _h.Store.Get(LogGroup)!.StartTime);
        Assert.Equal(1, _h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_DeletedBetweenLoadAndPlanWrite_ThrowsMissingAndRecreatesNothing()
    {
        _h.SeedExportedThrough(T0 - Hour);
        _h.Store.BeforeNextWrite(() =>
        {
            _h.Store.Delete(LogGroup);
            return Task.CompletedTask;
        });

        var ex = await Assert.ThrowsAsync<CheckpointMissingException>(() => _h.RunAsync(ExportWork.From(Data())));

        Assert.Equal($"checkpoint of '{LogGroup}' was deleted while in use (If-Match \"1\" answered 404 NoSuchKey)", ex.Message);
        Assert.Null(_h.Store.RawOf(LogGroup));
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.CheckpointsMissing));
        Assert.Equal(ex.Message, Assert.Single(_h.Telemetry.Events(LogEvents.CheckpointMissing)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ProcessAsync_DeletedAfterTaskCreated_SetAsideWithoutASecondTaskOrARecreatedCheckpoint()
    {
        _h.SeedExportedThrough(T0 - Hour);
        // The plan write lands; the object is deleted before the task id is recorded.
        _h.Store.BeforeNextWrite(() =>
        {
            _h.Store.BeforeNextWrite(() =>
            {
                _h.Store.Delete(LogGroup);
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });

        var failed = await ProcessAsync(Data());

        Assert.Empty(failed);
        Assert.Single(_h.Tasks.Tasks);
        Assert.Null(_h.Store.RawOf(LogGroup));
        var dead = Assert.Single(_deadLetters.Sent);
        Assert.Equal(SignalCodec.Encode(Data()), dead.Body);
        Assert.Equal($"CheckpointMissingException: checkpoint of '{LogGroup}' was deleted while in use (If-Match \"2\" answered 404 NoSuchKey)", dead.Attributes![ExportBatchProcessor.SetAsideAttribute]);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.WorkSetAside));
        Assert.Empty(_signals.Sent);
    }

    [Fact]
    public async Task RunAsync_ConflictThenDeletedBeforeReRead_ThrowsMissingNamingTheLostPosition()
    {
        _h.SeedExportedThrough(T0 - Hour);
        // Another writer changes the object (our plan write gets 412), then it is deleted before we re-read.
        _h.Store.BeforeNextWrite(async () =>
        {
            _h.Store.Put(_h.Checkpoint! with { UpdatedAt = At(T0) });
            _h.Store.BeforeNextLoad(() => _h.Store.Delete(LogGroup));
            await Task.CompletedTask;
        });

        var ex = await Assert.ThrowsAsync<CheckpointMissingException>(() => _h.RunAsync(ExportWork.From(Data())));

        Assert.Equal($"checkpoint of '{LogGroup}' was deleted while in use (it stood at exportedThrough {T0 - Hour} one step earlier)", ex.Message);
        Assert.Null(_h.Store.RawOf(LogGroup));
        Assert.Equal(0, _h.Tasks.CreateCalls);
        Assert.Single(_h.Telemetry.Events(LogEvents.CheckpointConflict));
    }

    private static DateTimeOffset At(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    [Fact]
    public async Task ProcessAsync_ContinuationWithoutCheckpoint_SetAsideAndNothingInitialized()
    {
        var continuation = Data() with { Kind = SignalKind.Continuation, Continuations = 2 };

        var failed = await ProcessAsync(continuation);

        Assert.Empty(failed);
        Assert.Null(_h.Store.RawOf(LogGroup));
        Assert.Equal(0, _h.Store.WriteAttempts);
        Assert.Equal($"CheckpointMissingException: checkpoint of '{LogGroup}' is missing, but this work is a continuation of a run that had one", Assert.Single(_deadLetters.Sent).Attributes![ExportBatchProcessor.SetAsideAttribute]);
        Assert.Equal([1.0], _h.Telemetry.MetricValues(MetricNames.CheckpointsMissing));
    }

    [Fact]
    public async Task ProcessAsync_ReplayAfterCheckpointRestored_ResumesFromTheRestoredPosition()
    {
        _h.SeedExportedThrough(T0 - Hour);
        var saved = _h.Store.RawOf(LogGroup)!;
        _h.Store.BeforeNextWrite(() =>
        {
            _h.Store.Delete(LogGroup);
            return Task.CompletedTask;
        });
        await ProcessAsync(Data());

        _h.Store.PutRaw(LogGroup, saved);
        var failed = await new ExportBatchProcessor(_h.NewCoordinator(), _signals, _deadLetters, _h.Telemetry.Telemetry)
            .ProcessAsync([new QueueRecord("replay-m-1", _deadLetters.Sent[0].Body)], CancellationToken.None);

        Assert.Empty(failed);
        Assert.Equal(new ExportWindow(T0 - Hour + 1, T0 - (15 * Minute)), Assert.Single(_h.Tasks.Tasks).Window);
    }

    [Fact]
    public async Task ProcessAsync_CheckpointDeletedBetweenRuns_SetAsideBecauseTheMarkerOutlivedIt()
    {
        await ProcessAsync(Data());
        Assert.True(_h.Store.HasMarker(LogGroup));
        _h.Store.Delete(LogGroup);
        var writes = _h.Store.WriteAttempts;

        var failed = await ProcessAsync(Data() with { FirstEventTime = T0 - (5 * Minute) });

        Assert.Empty(failed);
        Assert.Null(_h.Store.RawOf(LogGroup));
        Assert.Equal(writes, _h.Store.WriteAttempts);
        Assert.Equal(
            $"CheckpointMissingException: checkpoint of '{LogGroup}' is missing, but the log group was exported before ({InMemoryCheckpointStore.MarkerKeyOf(LogGroup)}); restore the checkpoint, or delete the marker too to start over",
            Assert.Single(_deadLetters.Sent).Attributes![ExportBatchProcessor.SetAsideAttribute]);
    }

    [Fact]
    public async Task ProcessAsync_CheckpointAndMarkerDeletedOnPurpose_StartsOverFromTheSignal()
    {
        await ProcessAsync(Data());
        _h.Store.Delete(LogGroup);
        _h.Store.DeleteMarker(LogGroup);

        await ProcessAsync(Data() with { FirstEventTime = T0 - (5 * Minute) });

        Assert.Empty(_deadLetters.Sent);
        Assert.Equal(T0 - Minute - (15 * Minute), _h.Checkpoint!.StartTime);
    }

    [Fact]
    public async Task RunAsync_CheckpointWithoutMarkerCompletesAnExport_GetsItsMarker()
    {
        _h.SeedExportedThrough(T0 - Hour);
        _h.Tasks.InitialStatus = ExportTaskStatus.Completed;

        await _h.RunAsync(ExportWork.From(Data()));

        Assert.True(_h.Store.HasMarker(LogGroup));
    }
}
