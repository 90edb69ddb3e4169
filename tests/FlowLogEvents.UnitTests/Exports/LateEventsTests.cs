using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>Events later than the settle delay: reported per stream and range; re-exported when LATE_EVENTS=reexport.</summary>
public sealed class LateEventsTests
{
    private const string StreamA = "eni-0a1b2c3d4e5f6000a-all";
    private const string StreamB = "eni-0a1b2c3d4e5f6000b-all";
    private const string LateDestination = Destination + "/late";

    private static readonly ExportPolicy Reexport = DefaultPolicy with { LateEvents = LateEventsMode.Reexport };

    private static Signal Late(string stream, long first, long last) => DataSignal(first, last, T0 - Minute, T0) with { LogStream = stream };

    /// <summary>Stream A's events from T0 - 25 min and stream B's from T0 - 22 min, with a checkpoint at T0 - 20 min.</summary>
    private static ExportWork TwoLateStreams() =>
        ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute))).Merge(Late(StreamB, T0 - (22 * Minute), T0 - (21 * Minute)));

    [Fact]
    public async Task RunAsync_TwoLateStreamsInOneBatch_ReportsEachStreamsRangeAndCountsEach()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (20 * Minute));

        await h.RunAsync(TwoLateStreams());

        var late = h.Telemetry.Events(LogEvents.EventsLate);
        Assert.Equal(
            [(StreamA, T0 - (25 * Minute), T0 - (20 * Minute)), (StreamB, T0 - (22 * Minute), T0 - (21 * Minute))],
            late.Select(e => (e.GetProperty("logStream").GetString(), e.GetProperty("firstEventTime").GetInt64(), e.GetProperty("lateRangeEnd").GetInt64())));
        Assert.All(late, e => Assert.Equal("reported only: these events are not in the exports (LATE_EVENTS=report)", e.GetProperty("action").GetString()));
        Assert.Equal([1.0, 1.0], h.Telemetry.MetricValues(MetricNames.LateSignals));
        // Report mode re-exports nothing: the only task is the next regular window.
        Assert.Equal(new ExportWindow(T0 - (20 * Minute) + 1, T0 - (15 * Minute)), Assert.Single(h.Tasks.Tasks).Window);
        Assert.Empty(h.Checkpoint!.LateExports);
    }

    [Fact]
    public async Task RunAsync_LateRangesUnderRepair_BringTheirWindowsCheckForwardOrSayTheWindowIsFinal()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { LateEvents = LateEventsMode.Repair, Verification = new FlowLogEvents.Verification.VerificationPolicy() });
        var checkedOnce = new FlowLogEvents.Verification.PendingVerification
        {
            From = T0 - (23 * Minute),
            To = T0 - (20 * Minute),
            TaskId = "task-x",
            CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - (10 * Minute)),
            DueAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 + (12 * Hour)),
            Checks = 1,
        };
        h.Store.Put(new Checkpoint
        {
            LogGroup = LogGroup,
            StartTime = T0 - Day,
            ExportedThrough = T0 - (20 * Minute),
            VerifiedFrom = T0 - Day,
            Verifications = new([checkedOnce]),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
        });

        await h.RunAsync(ExportWork.From(Late(StreamA, T0 - (22 * Minute), T0 - (21 * Minute))).Merge(Late(StreamB, T0 - (25 * Minute), T0 - (24 * Minute))));

        var late = h.Telemetry.Events(LogEvents.EventsLate);
        Assert.Equal(
            [(StreamA, "its window is checked again against CloudWatch Logs within 300 s (1 window(s); LATE_EVENTS=repair)"), (StreamB, "not checked again: its windows are final; these events are not in the exports")],
            late.Select(e => (e.GetProperty("logStream").GetString(), e.GetProperty("action").GetString())));
        var entry = Assert.Single(h.Checkpoint!.Verifications);
        Assert.Equal((true, DateTimeOffset.FromUnixTimeMilliseconds(T0 + (5 * Minute))), (entry.Recheck, entry.DueAt));
        Assert.Empty(h.Checkpoint.LateExports);

        // The range its check repairs is counted apart; only the one nothing repairs reaches the late-events alarm's metric.
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.LateSignalsRechecked));
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.LateSignals));
    }

    [Fact]
    public async Task RunAsync_EventsInsideTheWindowInFlightIngestedAfterItWasPlanned_AreLateUpToItsEnd()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - Hour);
        await h.RunAsync(ExportWork.From(DataSignal(T0 - Hour + 1, T0 - (50 * Minute), T0 - (30 * Minute), T0 - (29 * Minute))));
        var inFlight = h.Checkpoint!.InFlight!;
        h.Advance(5 * Minute);

        await h.RunAsync(ExportWork.From(DataSignal(T0 - (40 * Minute), T0 - (39 * Minute), T0 + (4 * Minute), T0 + (5 * Minute)) with { LogStream = StreamA }));

        var late = Assert.Single(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Equal((T0 - Hour, inFlight.To, T0 - (39 * Minute)), (late.GetProperty("exportedThrough").GetInt64(), late.GetProperty("coveredThrough").GetInt64(), late.GetProperty("lateRangeEnd").GetInt64()));
    }

    [Fact]
    public async Task RunAsync_EventsInsideTheWindowInFlightIngestedBeforeItWasPlanned_Covered()
    {
        // Ingested 35 min after their timestamps (later than the settle delay) but before the window holding
        // them was planned: that window's task reads them, so they are not late.
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - Hour);
        await h.RunAsync(ExportWork.From(DataSignal(T0 - Hour + 1, T0 - (50 * Minute), T0 - (30 * Minute), T0 - (29 * Minute))));
        h.Advance(5 * Minute);

        await h.RunAsync(ExportWork.From(DataSignal(T0 - (40 * Minute), T0 - (39 * Minute), T0 - (6 * Minute), T0 - (5 * Minute)) with { LogStream = StreamA }));

        Assert.Empty(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Single(h.Telemetry.Events(LogEvents.SignalCovered));
        Assert.Empty(h.Checkpoint!.LateExports);
    }

    [Fact]
    public async Task RunAsync_EventsOfTheLastCompletedWindowIngestedBeforeItWasPlanned_Covered()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        h.SeedExportedThrough(T0 - Hour);
        var work = ExportWork.From(DataSignal(T0 - Hour + 1, T0 - (50 * Minute), T0 - (30 * Minute), T0 - (29 * Minute)));
        await h.RunAsync(work);
        h.Advance(Minute);
        await h.RunAsync(ExportWork.From(work.Continuation()));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0), h.Checkpoint!.LastCompleted!.PlannedAt);
        h.Advance(30 * Minute);

        await h.RunAsync(ExportWork.From(DataSignal(T0 - (40 * Minute), T0 - (39 * Minute), T0 - (2 * Minute), T0 - Minute) with { LogStream = StreamA }));

        Assert.Empty(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Single(h.Telemetry.Events(LogEvents.SignalCovered));
        Assert.Empty(h.Checkpoint!.LateExports);
    }

    [Fact]
    public async Task RunAsync_Reexport_QueuesTheLateRangeThenExportsItForItsStreamIntoTheLatePrefix()
    {
        // No regular window is ready (the next one would be 1 minute long): the late range has the slot.
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));

        var first = await h.RunAsync(work);

        var lateName = DefaultPolicy.LateTaskName(LogGroup, StreamA, T0 - (25 * Minute), T0 - (16 * Minute), T0, 1);
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportTaskSpec(lateName, LogGroup, T0 - (25 * Minute), T0 - (16 * Minute), Bucket, LateDestination, StreamA), task.Spec);
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "late re-export task still active", T0 - (16 * Minute), "task-0001"), first);
        var queued = Assert.Single(h.Checkpoint!.LateExports);
        Assert.Equal((StreamA, "task-0001", T0 - (16 * Minute), (long?)T0), (queued.LogStream, queued.TaskId, h.Checkpoint.ExportedThrough, queued.IngestedBy));
        Assert.Equal([Checkpoint.LateKey(StreamA, T0 - (25 * Minute), T0 - (2 * Minute), T0)], h.Checkpoint.LateSeen);
        Assert.Equal("re-export of the stream's late range queued (LATE_EVENTS=reexport)", Assert.Single(h.Telemetry.Events(LogEvents.EventsLate)).GetProperty("action").GetString());

        h.Tasks.CompleteAllActive();
        h.Advance(5 * Minute);
        await h.RunAsync(ExportWork.From(work.Continuation()));

        // The late task is done and dropped; the regular window after the checkpoint follows, unchanged.
        Assert.Empty(h.Checkpoint!.LateExports);
        Assert.Equal(2, h.Tasks.Tasks.Count);
        Assert.Equal(new ExportTaskSpec(TaskName(T0 - (16 * Minute) + 1, T0 - (10 * Minute), 1), LogGroup, T0 - (16 * Minute) + 1, T0 - (10 * Minute), Bucket, Destination), h.Tasks.Tasks[1].Spec);
        Assert.Single(h.Telemetry.Events(LogEvents.TaskCompleted), e => e.TryGetProperty("late", out var l) && l.GetBoolean());
    }

    [Fact]
    public async Task RunAsync_ReexportSignalIngestedInTimeSeenAgain_NotLateAndNothingReexported()
    {
        // An SQS redelivery, a DLQ replay or a concurrent run brings back a signal whose range has been exported
        // since: its events were ingested 13-14 min after their timestamps, inside the settle delay (15 min) less
        // the skew margin (1 min), so the export that covered them was created after they arrived.
        using var h = new CoordinatorHarness(Reexport with { ClockSkewMargin = TimeSpan.FromMinutes(1) });
        h.SeedExportedThrough(T0 - (20 * Minute));
        var replayed = DataSignal(T0 - (27 * Minute), T0 - (26 * Minute), T0 - (14 * Minute), T0 - (13 * Minute)) with { LogStream = StreamA };

        await h.RunAsync(ExportWork.From(replayed));

        Assert.Empty(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Empty(h.Telemetry.MetricValues(MetricNames.LateSignals));
        var covered = Assert.Single(h.Telemetry.Events(LogEvents.SignalCovered));
        Assert.Equal((StreamA, T0 - (27 * Minute), T0 - (13 * Minute)), (covered.GetProperty("logStream").GetString(), covered.GetProperty("firstEventTime").GetInt64(), covered.GetProperty("ingestedBy").GetInt64()));
        Assert.Empty(h.Checkpoint!.LateExports);
        Assert.DoesNotContain(h.Tasks.Tasks, t => t.Spec.LogStreamPrefix is not null);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task RunAsync_IngestedByAtTheSettleLessSkewBoundary_LateOnlyPastIt(long pastBoundaryMillis, bool late)
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { ClockSkewMargin = TimeSpan.FromMinutes(1) });
        h.SeedExportedThrough(T0 - (20 * Minute));
        var first = T0 - (30 * Minute);
        var ingestedBy = first + (14 * Minute) + pastBoundaryMillis;

        await h.RunAsync(ExportWork.From(DataSignal(first, first + Minute, ingestedBy - Minute, ingestedBy) with { LogStream = StreamA }));

        Assert.Equal(late ? 1 : 0, h.Telemetry.Events(LogEvents.EventsLate).Count);
        Assert.Equal(late ? 0 : 1, h.Telemetry.Events(LogEvents.SignalCovered).Count);
    }

    [Fact]
    public async Task RunAsync_ReexportSameSignalRedelivered_ExportsTheLateRangeOnce()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        h.SeedExportedThrough(T0 - (20 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));

        await h.RunAsync(work);
        h.Advance(10 * Minute);
        await h.RunAsync(work);

        Assert.Single(h.Tasks.Tasks, t => t.Spec.LogStreamPrefix == StreamA);
        Assert.Equal(2, h.Telemetry.Events(LogEvents.EventsLate).Count);
        Assert.Single(h.Telemetry.Events(LogEvents.LateQueued));
    }

    [Fact]
    public async Task RunAsync_ReexportCrashAfterCreateBeforeRecording_AdoptsTheTaskByNameInsteadOfCreatingAnother()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));
        // Writes: queue-late (1), claim-late (2), record-late-task (3): the process dies before the third lands.
        h.Store.FailOnWrite(3);

        await Assert.ThrowsAsync<IOException>(() => h.RunAsync(work));
        await h.RunAsync(ExportWork.From(work.Continuation()));

        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal("task-0001", Assert.Single(h.Checkpoint!.LateExports).TaskId);
        Assert.Single(h.Telemetry.Events(LogEvents.TaskAdopted));
    }

    [Fact]
    public async Task RunAsync_ReexportSlotHeldElsewhere_ReleasesTheClaimAndWaits()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (20 * Minute));
        h.Tasks.SlotHeldElsewhere = true;

        var outcome = await h.RunAsync(ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute))));

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "another export task holds the account's single export slot", T0 - (20 * Minute)), outcome);
        var queued = Assert.Single(h.Checkpoint!.LateExports);
        Assert.Equal((null, (DateTimeOffset?)null), (queued.TaskId, queued.ClaimedAt));
    }

    [Fact]
    public async Task RunAsync_ReexportTaskFailed_ExportsTheSameRangeAgainAsAttemptTwo()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, "bucket unreachable");

        await h.RunAsync(ExportWork.From(work.Continuation()));

        Assert.Equal(2, h.Tasks.Tasks.Count);
        Assert.Equal(DefaultPolicy.LateTaskName(LogGroup, StreamA, T0 - (25 * Minute), T0 - (16 * Minute), T0, 2), h.Tasks.Tasks[1].TaskName);
        Assert.Equal((2, "task-0002"), (h.Checkpoint!.LateExports[0].Attempt, h.Checkpoint.LateExports[0].TaskId));
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsFailed));
    }

    [Fact]
    public async Task RunAsync_ReexportWhileRegularWindowInFlight_FinishesTheWindowFirst()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - Hour);
        await h.RunAsync(Work(first: T0 - Hour + 1));
        var window = Assert.Single(h.Tasks.Tasks);

        var outcome = await h.RunAsync(ExportWork.From(Late(StreamA, T0 - (70 * Minute), T0 - (65 * Minute))));

        // One active export per account: the late task waits for the window's task.
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - Hour, window.TaskId), outcome);
        Assert.Single(h.Tasks.Tasks);
        Assert.Null(Assert.Single(h.Checkpoint!.LateExports).TaskId);
    }

    [Fact]
    public async Task RunAsync_SettleDelayRaisedSinceAnOlderWindowWasPlanned_JudgesItsLateEventsByTheDelayItWasPlannedUnder()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        h.SeedExportedThrough(T0 - (3 * Hour));
        await h.RunAsync(Work(first: T0 - (3 * Hour) + 1));
        Assert.Equal((T0 - (3 * Hour) + 1, T0 - (15 * Minute)), (h.Checkpoint!.LastCompleted!.From, h.Checkpoint.LastCompleted.To));
        h.Advance(10 * Minute);
        await h.RunAsync(ExportWork.From(DataSignal(T0 - (14 * Minute), T0 + (8 * Minute), T0 + (9 * Minute), T0 + (10 * Minute))));
        Assert.Equal(T0 - (5 * Minute), h.Checkpoint!.ExportedThrough);
        h.Advance(5 * Minute);

        // SETTLE_DELAY_SECONDS raised from 15 to 150 minutes. The window [T0 - 3 h, T0 - 15 min] was planned at T0 under
        // 15 minutes; events of T0 - 2 h ingested by T0 + 5 min arrived after it, so they are not in its export.
        var raised = new ExportCoordinator(h.Store, h.Tasks, h.Policy with { SettleDelay = TimeSpan.FromMinutes(150) }, h.Time, h.Telemetry.Telemetry);
        await raised.RunAsync(ExportWork.From(DataSignal(T0 - (2 * Hour), T0 - (2 * Hour) + Minute, T0 + (4 * Minute), T0 + (5 * Minute)) with { LogStream = StreamA }), CancellationToken.None);

        Assert.Empty(h.Telemetry.Events(LogEvents.SignalCovered));
        var late = Assert.Single(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Equal((StreamA, T0 - (2 * Hour)), (late.GetProperty("logStream").GetString(), late.GetProperty("firstEventTime").GetInt64()));
    }

    [Fact]
    public async Task RunAsync_ReexportSecondDeliveryOfTheSameStreamAndFirstTime_ReexportsItAgain()
    {
        // Flow-log timestamps are whole seconds: a second delivery of the same stream often starts at the same second.
        using var h = new CoordinatorHarness(Reexport);
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        h.SeedExportedThrough(T0 - (20 * Minute));
        await h.RunAsync(ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (23 * Minute))));
        h.Advance(10 * Minute);

        // Ingested after the first re-export's task was created: only a second task holds these records.
        await h.RunAsync(ExportWork.From(DataSignal(T0 - (25 * Minute), T0 - (23 * Minute), T0 + (9 * Minute), T0 + (10 * Minute)) with { LogStream = StreamA }));

        var reexports = h.Tasks.Tasks.Where(t => t.Spec.LogStreamPrefix == StreamA).ToList();
        Assert.Equal(2, reexports.Count);
        Assert.NotEqual(reexports[0].TaskName, reexports[1].TaskName);
        Assert.All(reexports, t => Assert.Equal(new ExportWindow(T0 - (25 * Minute), T0 - (23 * Minute)), t.Window));
        Assert.Equal(2, h.Telemetry.Events(LogEvents.LateQueued).Count);
    }

    [Fact]
    public async Task RunAsync_ReexportSameSignalRedelivered_SaysTheReexportWasQueuedBefore()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        h.SeedExportedThrough(T0 - (20 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));
        await h.RunAsync(work);
        h.Advance(10 * Minute);

        await h.RunAsync(work);

        Assert.Equal(
            ["re-export of the stream's late range queued (LATE_EVENTS=reexport)", "not queued again: this signal's re-export was queued before (a redelivered or replayed signal)"],
            h.Telemetry.Events(LogEvents.EventsLate).Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task RunAsync_LateRangeQueuedAndARegularWindowReady_TheyTakeTurnsRegularFirst()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - Hour);
        var work = ExportWork.From(Late(StreamA, T0 - (70 * Minute), T0 - (65 * Minute)));

        await h.RunAsync(work);

        Assert.Equal((null, new ExportWindow(T0 - Hour + 1, T0 - (15 * Minute))), (h.Tasks.Tasks[0].Spec.LogStreamPrefix, h.Tasks.Tasks[0].Window));
        h.Tasks.CompleteAllActive();
        h.Advance(10 * Minute);

        await h.RunAsync(ExportWork.From(work.Continuation()));

        // The next regular window [T0 - 15 min, T0 - 5 min] is ready too, but the late range has waited one turn.
        Assert.Equal(2, h.Tasks.Tasks.Count);
        Assert.Equal((StreamA, new ExportWindow(T0 - (70 * Minute), T0 - (65 * Minute))), (h.Tasks.Tasks[1].Spec.LogStreamPrefix, h.Tasks.Tasks[1].Window));
    }

    [Fact]
    public async Task RunAsync_LateTaskFailedAndARegularWindowReady_TheWindowGoesBeforeTheRetry()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));
        await h.RunAsync(work);
        Assert.Equal(StreamA, Assert.Single(h.Tasks.Tasks).Spec.LogStreamPrefix);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, "bucket unreachable");
        h.Advance(10 * Minute);

        await h.RunAsync(ExportWork.From(work.Continuation()));

        Assert.Equal(2, h.Tasks.Tasks.Count);
        Assert.Equal((null, new ExportWindow(T0 - (16 * Minute) + 1, T0 - (5 * Minute))), (h.Tasks.Tasks[1].Spec.LogStreamPrefix, h.Tasks.Tasks[1].Window));
        var retry = Assert.Single(h.Checkpoint!.LateExports);
        Assert.Equal((2, (string?)null), (retry.Attempt, retry.TaskId));
    }

    [Fact]
    public async Task RunAsync_ReexportTaskFailedTwice_ExportsTheLateRangeInHalves()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        var work = ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute)));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, "timed out");
        await h.RunAsync(ExportWork.From(work.Continuation()));
        h.Tasks.SetStatus("task-0002", ExportTaskStatus.Failed, "timed out");

        await h.RunAsync(ExportWork.From(work.Continuation()));

        // [T0 - 25 min, T0 - 16 min] is 540,001 ms: halves of 270,001 and 270,000 ms, each from attempt 1.
        var mid = T0 - (25 * Minute) + 270_000;
        Assert.Equal(3, h.Tasks.Tasks.Count);
        Assert.Equal((StreamA, new ExportWindow(T0 - (25 * Minute), mid)), (h.Tasks.Tasks[2].Spec.LogStreamPrefix, h.Tasks.Tasks[2].Window));
        Assert.Equal(
            [(T0 - (25 * Minute), mid, 1, "task-0003"), (mid + 1, T0 - (16 * Minute), 1, null)],
            h.Checkpoint!.LateExports.Select(l => (l.From, l.To, l.Attempt, l.TaskId)));
        Assert.Single(h.Telemetry.Events(LogEvents.WindowSplit));
    }

    [Fact]
    public async Task RunAsync_ReexportSecondDeliveryWhileTheFirstReexportIsNotStarted_CoveredByItAndSaysSo()
    {
        using var h = new CoordinatorHarness(Reexport);
        h.SeedExportedThrough(T0 - (16 * Minute));
        h.Tasks.SlotHeldElsewhere = true;
        await h.RunAsync(ExportWork.From(Late(StreamA, T0 - (25 * Minute), T0 - (2 * Minute))));
        h.Advance(2 * Minute);

        await h.RunAsync(ExportWork.From(DataSignal(T0 - (25 * Minute), T0 - (20 * Minute), T0 + Minute, T0 + (2 * Minute)) with { LogStream = StreamA }));

        // The queued re-export's task is created after now, so it reads the second delivery's records too.
        var queued = Assert.Single(h.Checkpoint!.LateExports);
        Assert.Equal(new ExportWindow(T0 - (25 * Minute), T0 - (16 * Minute)), new ExportWindow(queued.From, queued.To));
        Assert.Equal(2, h.Checkpoint.LateSeen.Count);
        Assert.Equal("not queued again: a queued re-export of this stream, not started yet, covers the range", h.Telemetry.Events(LogEvents.EventsLate)[1].GetProperty("action").GetString());
    }

    [Fact]
    public void CreateExportTaskRequest_LateReexport_SerializesTheStreamPrefix()
    {
        var request = new FlowLogEvents.Aws.CloudWatchLogs.CreateExportTaskRequest
        {
            TaskName = "n",
            LogGroupName = LogGroup,
            LogStreamNamePrefix = StreamA,
            From = 1,
            To = 2,
            Destination = Bucket,
            DestinationPrefix = LateDestination,
        };

        var json = System.Text.Json.JsonSerializer.Serialize(request, FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsJsonContext.Default.CreateExportTaskRequest);

        Assert.Contains($"\"logStreamNamePrefix\":\"{StreamA}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointJson_WithLateExports_RoundTrips()
    {
        var checkpoint = Checkpoint.Start(LogGroup, T0 - Day, DateTimeOffset.FromUnixTimeMilliseconds(T0)) with
        {
            ExportedThrough = T0 - Hour,
            LateExports =
            [
                new InFlightExport { LogStream = StreamA, TaskName = "n", From = T0 - (2 * Hour), To = T0 - Hour, Attempt = 1, PlannedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0), TaskId = "t", IngestedBy = T0 },
                new InFlightExport { TaskName = "before-start", From = T0 - Day, To = T0 - Day + Hour, Attempt = 2, PlannedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0) },
            ],
            SettledLagFloorMillis = 15 * Minute,
            LastTaskEnded = ExportKind.Late,
            LateSeen = [Checkpoint.LateKey(StreamA, T0 - (2 * Hour), T0 - (2 * Hour) + Minute, T0)],
        };

        Assert.Equal(checkpoint, CheckpointJson.Deserialize(CheckpointJson.Serialize(checkpoint), LogGroup));
    }
}
