using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

public sealed class ExportCoordinatorTests
{
    private static DateTimeOffset At(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    // ---- first run ------------------------------------------------------------------------------

    [Fact]
    public async Task RunAsync_FirstRunFirstEventEarliest_StartsAtFirstEventAndCreatesFirstWindow()
    {
        using var h = new CoordinatorHarness();

        var outcome = await h.RunAsync(Work(first: T0 - (30 * Minute)));

        var checkpoint = h.Checkpoint!;
        Assert.Equal(T0 - (30 * Minute), checkpoint.StartTime);
        Assert.Equal(T0 - (30 * Minute) - 1, checkpoint.ExportedThrough);
        Assert.Equal(0, checkpoint.ExportsCompleted);
        var inFlight = checkpoint.InFlight!;
        Assert.Equal(T0 - (30 * Minute), inFlight.From);
        Assert.Equal(T0 - (15 * Minute), inFlight.To);
        Assert.Equal(1, inFlight.Attempt);
        Assert.Equal(TaskName(T0 - (30 * Minute), T0 - (15 * Minute), 1), inFlight.TaskName);
        Assert.Equal("task-0001", inFlight.TaskId);
        Assert.Equal(At(T0), inFlight.ClaimedAt);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (30 * Minute) - 1, "task-0001"), outcome);
        var initialized = Assert.Single(h.Telemetry.Events(LogEvents.CheckpointInitialized));
        Assert.Equal(T0 - (30 * Minute), initialized.GetProperty("startTime").GetInt64());
        Assert.Equal("FirstSignal", initialized.GetProperty("startMode").GetString());
    }

    [Fact]
    public async Task RunAsync_FirstRunWindowStartMinusSettleEarliest_StartsThereAndWaitsForMinWindow()
    {
        using var h = new CoordinatorHarness();
        // Events from T0 - 2 min, signalled in [T0 - 1 min, T0): the window start minus the settle delay (T0 - 16 min) is earlier.
        var work = ExportWork.From(DataSignal(T0 - (2 * Minute), T0 - (90 * Second), T0 - Minute, T0));

        var waiting = await h.RunAsync(work);

        Assert.Equal(T0 - (16 * Minute), h.Checkpoint!.StartTime);
        Assert.Equal(T0 - (16 * Minute) - 1, h.Checkpoint.ExportedThrough);
        Assert.Null(h.Checkpoint.InFlight);
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "data not settled yet", T0 - (16 * Minute) - 1), waiting);
        Assert.Equal(0, h.Tasks.CreateCalls);

        // Four minutes later the settled part is 5 minutes + 1 ms long: export it.
        h.Advance(4 * Minute);
        await h.RunAsync(work);

        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(T0 - (16 * Minute), T0 - (11 * Minute)), task.Window);
        Assert.Single(h.Telemetry.Events(LogEvents.CheckpointInitialized));
    }

    [Fact]
    public async Task RunAsync_FirstRunLogGroupCreation_StartsAtCreationTimeSplitAtMaxWindow()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.LogGroupCreation });
        var created = T0 - (2 * Day) - (6 * Hour);
        h.Tasks.LogGroupCreationTimes[LogGroup] = created;

        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(1, h.Tasks.CreationTimeCalls);
        Assert.Equal(created, h.Checkpoint!.StartTime);
        Assert.Equal(created - 1, h.Checkpoint.ExportedThrough);
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(created, created + Day - 1), task.Window);
        Assert.Equal("LogGroupCreation", h.Telemetry.Events(LogEvents.CheckpointInitialized)[0].GetProperty("startMode").GetString());
    }

    [Fact]
    public async Task RunAsync_FirstRunLogGroupCreationForMissingGroup_ThrowsPermanentRejectionAndWritesNothing()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.LogGroupCreation });

        var ex = await Assert.ThrowsAsync<ExportRejectedException>(() => h.RunAsync(Work(first: T0 - (20 * Minute))));

        Assert.True(ex.Permanent);
        Assert.Equal($"ResourceNotFoundException: log group '{LogGroup}' does not exist, so its creation time cannot be the export start", ex.Message);
        Assert.Null(h.Checkpoint);
        Assert.Equal(0, h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_FirstRunFixedStart_StartsAtFixedInstant()
    {
        var start = T0 - (2 * Hour);
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.Fixed, FixedStart = At(start) });

        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(start, h.Checkpoint!.StartTime);
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(start, T0 - (15 * Minute)), task.Window);
        Assert.Equal(0, h.Tasks.CreationTimeCalls);
    }

    // ---- steady state ---------------------------------------------------------------------------

    [Fact]
    public async Task RunAsync_SteadyState_CreatesOneTaskForSettledWindowAndRecordsTaskId()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);

        var outcome = await h.RunAsync(Work(first: T0 - (20 * Minute)));

        var from = T0 - (40 * Minute);
        var to = T0 - (15 * Minute);
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportTaskSpec(TaskName(from, to, 1), LogGroup, from, to, Bucket, Destination), task.Spec);
        Assert.Equal(1, h.Tasks.CreateCalls);
        var checkpoint = h.Checkpoint!;
        Assert.Equal(from - 1, checkpoint.ExportedThrough);
        Assert.Equal(3, checkpoint.ExportsCompleted);
        Assert.Equal(task.TaskId, checkpoint.InFlight!.TaskId);
        Assert.Equal(TaskName(from, to, 1), checkpoint.InFlight.TaskName);
        Assert.Equal(At(T0), checkpoint.InFlight.PlannedAt);
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", from - 1, "task-0001"), outcome);
        var created = Assert.Single(h.Telemetry.Events(LogEvents.TaskCreated));
        Assert.Equal("task-0001", created.GetProperty("taskId").GetString());
        Assert.Equal($"s3://{Bucket}/{Destination}", created.GetProperty("destination").GetString());
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsCreated));
        Assert.Empty(h.Telemetry.Events(LogEvents.CheckpointConflict));
    }

    [Theory]
    [InlineData(ExportTaskStatus.Pending)]
    [InlineData(ExportTaskStatus.Running)]
    [InlineData(ExportTaskStatus.PendingCancel)]
    public async Task RunAsync_TaskStillActive_WaitsWithoutSecondTask(ExportTaskStatus status)
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", status);
        var before = h.Store.ETagOf(LogGroup);
        h.Advance(10 * Minute);

        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), outcome);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Single(h.Tasks.Tasks);
        Assert.Equal(before, h.Store.ETagOf(LogGroup));
    }

    [Fact]
    public async Task RunAsync_TaskCompletedAndTargetReached_AdvancesCheckpointAndReturnsDone()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1, exportsCompleted: 7);
        // Signalled in [T0 - 17 min, T0 - 16 min): target T0 - 16 min - 1 ms, inside the first settled window.
        var work = ExportWork.From(DataSignal(T0 - (20 * Minute), T0 - (16 * Minute) - Second, T0 - (17 * Minute), T0 - (16 * Minute)));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Completed);
        h.Advance(2 * Minute);

        var outcome = await h.RunAsync(work);

        var from = T0 - (40 * Minute);
        var to = T0 - (15 * Minute);
        Assert.Equal(new ExportOutcome(ExportState.Done, "exported through the signalled range", to), outcome);
        var checkpoint = h.Checkpoint!;
        Assert.Equal(to, checkpoint.ExportedThrough);
        Assert.Null(checkpoint.InFlight);
        Assert.Equal(8, checkpoint.ExportsCompleted);
        Assert.Equal(new CompletedExport("task-0001", TaskName(from, to, 1), from, to, At(T0 + (2 * Minute)), PlannedAt: At(T0)), checkpoint.LastCompleted);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsCompleted));
        // One lag figure per run (now minus checkpoint): 40 min + 1 ms while the task ran, 17 min after it completed.
        Assert.Equal([(double)((40 * Minute) + 1), (double)(17 * Minute)], h.Telemetry.MetricValues(MetricNames.ExportLag));
        Assert.All(h.Telemetry.Metrics(MetricNames.ExportLag), m => Assert.Equal(LogGroup, m.GetProperty("LogGroup").GetString()));
        Assert.Single(h.Telemetry.Events(LogEvents.TaskCompleted));
        Assert.Single(h.Telemetry.Events(LogEvents.ExportDone));
    }

    [Fact]
    public async Task RunAsync_TaskCompletedTargetNotReached_AdvancesAndCreatesNextContiguousWindow()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Completed);
        h.Advance(10 * Minute);

        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (15 * Minute), "task-0002"), outcome);
        Assert.Equal(
            [new ExportWindow(T0 - (40 * Minute), T0 - (15 * Minute)), new ExportWindow(T0 - (15 * Minute) + 1, T0 - (5 * Minute))],
            h.Tasks.Tasks.Select(t => t.Window));
        Assert.Equal(T0 - (15 * Minute), h.Checkpoint!.ExportedThrough);
        Assert.Equal(4, h.Checkpoint.ExportsCompleted);
        Assert.Equal("task-0002", h.Checkpoint.InFlight!.TaskId);
        Assert.Equal(2, h.Tasks.CreateCalls);
    }

    [Theory]
    [InlineData(ExportTaskStatus.Failed)]
    [InlineData(ExportTaskStatus.Cancelled)]
    public async Task RunAsync_TaskFailedOrCancelled_ExportsSameWindowAgainWithAttemptTwo(ExportTaskStatus status)
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", status, "destination bucket denied access");
        h.Advance(5 * Minute);

        var outcome = await h.RunAsync(work);

        var from = T0 - (40 * Minute);
        var to = T0 - (15 * Minute);
        Assert.Equal(2, h.Tasks.CreateCalls);
        var retry = h.Tasks.Tasks[1];
        Assert.Equal(new ExportTaskSpec(TaskName(from, to, 2), LogGroup, from, to, Bucket, Destination), retry.Spec);
        Assert.NotEqual(h.Tasks.Tasks[0].TaskName, retry.TaskName);
        var inFlight = h.Checkpoint!.InFlight!;
        Assert.Equal(2, inFlight.Attempt);
        Assert.Equal("task-0002", inFlight.TaskId);
        Assert.Equal(from - 1, h.Checkpoint.ExportedThrough);
        Assert.Equal(3, h.Checkpoint.ExportsCompleted);
        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", from - 1, "task-0002"), outcome);
        var failed = Assert.Single(h.Telemetry.Events(LogEvents.TaskFailed));
        Assert.Equal("ERROR", failed.GetProperty("level").GetString());
        Assert.Equal(status.ToString(), failed.GetProperty("status").GetString());
        Assert.Equal("destination bucket denied access", failed.GetProperty("statusMessage").GetString());
        Assert.Equal(2, failed.GetProperty("nextAttempt").GetInt32());
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsFailed));
    }

    [Fact]
    public void TaskName_SameInputs_SameNameAndEachInputChangesIt()
    {
        var policy = DefaultPolicy with { Deployment = "flowlogevents-prod" };
        var name = policy.TaskName(LogGroup, 1000, 1999, 1);

        Assert.Equal("flowlogevents-2c16e73555a62307-3443ccf8d927a276-1000-1999-1", name);
        Assert.Equal(name, policy.TaskName(LogGroup, 1000, 1999, 1));
        Assert.NotEqual(name, policy.TaskName(LogGroup, 1000, 1999, 2));
        Assert.NotEqual(name, policy.TaskName(LogGroup, 1001, 1999, 1));
        Assert.NotEqual(name, policy.TaskName(LogGroup, 1000, 2000, 1));
        Assert.NotEqual(name, policy.TaskName("/aws/vpc/flow-logs/dev", 1000, 1999, 1));
    }

    [Theory]
    [InlineData("flowlogevents-staging", Bucket, Prefix)]
    [InlineData("flowlogevents-prod", "second-archive", Prefix)]
    [InlineData("flowlogevents-prod", Bucket, "flowlogevents/exports-v2")]
    public void TaskName_OtherDeploymentBucketOrPrefix_DiffersForTheSameWindow(string deployment, string bucket, string prefix)
    {
        var prod = DefaultPolicy with { Deployment = "flowlogevents-prod" };
        var other = DefaultPolicy with { Deployment = deployment, ExportBucket = bucket, ExportPrefix = prefix };

        Assert.NotEqual(prod.TaskName(LogGroup, 1000, 1999, 1), other.TaskName(LogGroup, 1000, 1999, 1));
        Assert.NotEqual(prod.LateTaskName(LogGroup, "eni-1-all", 1000, 1999, 1), other.LateTaskName(LogGroup, "eni-1-all", 1000, 1999, 1));
    }

    [Fact]
    public void TaskName_LongestInputs_WithinCreateExportTasksLimit()
    {
        // botocore's logs model: ExportTaskName is a string of 1 to 512 characters (no pattern).
        var policy = DefaultPolicy with { Deployment = new string('s', 128), ExportPrefix = new string('p', 900) };
        var group = "/" + new string('g', 511);

        var late = policy.LateTaskName(group, new string('e', 512), long.MinValue, long.MaxValue, int.MaxValue);
        var renamed = ExportPolicy.FreshTaskName(late, late, "a1b2c3d4-5678-90ab-cdef-000000000001");

        Assert.Equal(121, late.Length);
        Assert.Equal(138, renamed.Length);
        Assert.True(policy.TaskName(group, long.MinValue, long.MaxValue, int.MaxValue).Length < late.Length);
    }

    // ---- the account's single export slot -------------------------------------------------------

    [Fact]
    public async Task RunAsync_ExportSlotBusy_WaitsAndReleasesClaimWithoutTaskId()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        h.Tasks.SlotHeldElsewhere = true;
        var work = Work(first: T0 - (20 * Minute));

        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "another export task holds the account's single export slot", T0 - (40 * Minute) - 1), outcome);
        var inFlight = h.Checkpoint!.InFlight!;
        Assert.Null(inFlight.ClaimedAt);
        Assert.Null(inFlight.TaskId);
        Assert.Equal(TaskName(T0 - (40 * Minute), T0 - (15 * Minute), 1), inFlight.TaskName);
        Assert.Empty(h.Tasks.Tasks);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportSlotBusy));
        Assert.Empty(h.Telemetry.Events(LogEvents.TaskCreated));

        // Released, so the next run (well within the claim lease) creates at once.
        h.Tasks.SlotHeldElsewhere = false;
        h.Advance(Minute);
        var next = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), next);
        Assert.Equal(2, h.Tasks.CreateCalls);
        Assert.Equal(new ExportWindow(T0 - (40 * Minute), T0 - (15 * Minute)), Assert.Single(h.Tasks.Tasks).Window);
    }

    [Fact]
    public async Task RunAsync_ExportRejected_ReleasesClaimAndRethrows()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        h.Tasks.FailCreateFor(LogGroup, new ExportRejectedException("InvalidParameterException: bucket in another region"));

        await Assert.ThrowsAsync<ExportRejectedException>(() => h.RunAsync(Work(first: T0 - (20 * Minute))));

        Assert.Null(h.Checkpoint!.InFlight!.ClaimedAt);
        Assert.Null(h.Checkpoint.InFlight.TaskId);
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsRejected));
        Assert.Single(h.Telemetry.Events(LogEvents.TaskRejected));
    }

    // ---- crashes --------------------------------------------------------------------------------

    [Fact]
    public async Task RunAsync_CrashAfterCreateBeforeCheckpointWrite_NextRunAdoptsTaskByName()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        h.Store.FailOnWrite(2); // 1: plan, 2: record-task

        await Assert.ThrowsAsync<IOException>(() => h.RunAsync(work));
        Assert.Single(h.Tasks.Tasks);
        Assert.Null(h.Checkpoint!.InFlight!.TaskId);

        h.Advance(Minute);
        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), outcome);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal("task-0001", h.Checkpoint!.InFlight!.TaskId);
        var adopted = Assert.Single(h.Telemetry.Events(LogEvents.TaskAdopted));
        Assert.Equal(TaskName(T0 - (40 * Minute), T0 - (15 * Minute), 1), adopted.GetProperty("taskName").GetString());
    }

    [Fact]
    public async Task RunAsync_CrashAfterPlanWriteBeforeCreate_WaitsWithinLeaseThenCreatesOnce()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        h.Store.FailOnWrite(1, afterPersist: true); // the plan lands, then the runner dies

        await Assert.ThrowsAsync<IOException>(() => h.RunAsync(work));
        Assert.Equal(0, h.Tasks.CreateCalls);
        Assert.Equal(At(T0), h.Checkpoint!.InFlight!.ClaimedAt);

        h.Advance((15 * Minute) - 1);
        var within = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "another runner claimed this window and may be creating its task", T0 - (40 * Minute) - 1), within);
        Assert.Equal(0, h.Tasks.CreateCalls);

        h.Advance(1);
        var after = await h.RunAsync(work);
        var again = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), after);
        Assert.Equal(after, again);
        Assert.Equal(1, h.Tasks.CreateCalls);
        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(T0 - (40 * Minute), T0 - (15 * Minute)), task.Window);
        Assert.Equal(At(T0 + (15 * Minute)), h.Checkpoint!.InFlight!.ClaimedAt);
    }

    // ---- concurrent writers (412) ---------------------------------------------------------------

    [Fact]
    public async Task RunAsync_ConflictOnceWithUnchangedContent_RereadsAndCreatesOneTask()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        h.Store.ConflictOnNextWrite();

        var outcome = await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), outcome);
        Assert.Equal(1, h.Store.Conflicts);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Equal("task-0001", h.Checkpoint!.InFlight!.TaskId);
        var conflict = Assert.Single(h.Telemetry.Events(LogEvents.CheckpointConflict));
        Assert.Equal("plan", conflict.GetProperty("step").GetString());
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.CheckpointConflicts));
    }

    [Fact]
    public async Task RunAsync_ConcurrentRunnerPlansSameWindowFirst_RereadsAndWaitsOnItsTask()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        ExportOutcome? theirs = null;
        h.Store.BeforeNextWrite(async () => theirs = await h.RunAsync(work));

        var ours = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), theirs);
        Assert.Equal(theirs, ours);
        Assert.Equal(1, h.Tasks.CreateCalls);
        Assert.Single(h.Telemetry.Events(LogEvents.TaskCreated));
        Assert.Equal(1, h.Store.Conflicts);
        Assert.Equal("task-0001", h.Checkpoint!.InFlight!.TaskId);
    }

    [Fact]
    public async Task RunAsync_ConcurrentRunnerCompletesSameTaskFirst_RereadsAndCountsCompletionOnce()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1, exportsCompleted: 7);
        var work = ExportWork.From(DataSignal(T0 - (20 * Minute), T0 - (16 * Minute) - Second, T0 - (17 * Minute), T0 - (16 * Minute)));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Completed);
        ExportOutcome? theirs = null;
        h.Store.BeforeNextWrite(async () => theirs = await h.RunAsync(work));

        var ours = await h.RunAsync(work);

        var done = new ExportOutcome(ExportState.Done, "exported through the signalled range", T0 - (15 * Minute));
        Assert.Equal(done, theirs);
        Assert.Equal(done, ours);
        Assert.Equal(8, h.Checkpoint!.ExportsCompleted);
        Assert.Null(h.Checkpoint.InFlight);
        Assert.Single(h.Telemetry.Events(LogEvents.TaskCompleted));
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.ExportsCompleted));
        Assert.Equal(1, h.Store.Conflicts);
        Assert.Equal("complete", Assert.Single(h.Telemetry.Events(LogEvents.CheckpointConflict)).GetProperty("step").GetString());
    }

    [Fact]
    public async Task RunAsync_ConcurrentInitialization_KeepsWinnersCheckpoint()
    {
        using var h = new CoordinatorHarness();
        var work = Work(first: T0 - (30 * Minute));
        // Another runner initializes the checkpoint (with an earlier start) between our Load and our write.
        h.Store.BeforeNextWrite(() =>
        {
            h.Store.Put(Checkpoint.Start(LogGroup, T0 - (45 * Minute), At(T0)));
            return Task.CompletedTask;
        });

        await h.RunAsync(work);

        Assert.Equal(T0 - (45 * Minute), h.Checkpoint!.StartTime);
        Assert.Equal(new ExportWindow(T0 - (45 * Minute), T0 - (15 * Minute)), Assert.Single(h.Tasks.Tasks).Window);
        Assert.Empty(h.Telemetry.Events(LogEvents.CheckpointInitialized));
    }

    // ---- settle delay, late data, backlog -------------------------------------------------------

    [Fact]
    public async Task RunAsync_DataNotSettled_WaitsUntilSettleDelayPassed()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (17 * Minute));
        var work = Work(first: T0 - (10 * Minute));

        var first = await h.RunAsync(work);
        h.Advance((3 * Minute) - 1);
        var second = await h.RunAsync(work);

        var waiting = new ExportOutcome(ExportState.Waiting, "data not settled yet", T0 - (17 * Minute));
        Assert.Equal(waiting, first);
        Assert.Equal(waiting, second);
        Assert.Equal(0, h.Tasks.CreateCalls);
        var deferred = h.Telemetry.Events(LogEvents.ExportDeferred);
        Assert.Equal(2, deferred.Count);
        Assert.Equal(900, deferred[0].GetProperty("settleDelaySeconds").GetInt64());

        h.Advance(1);
        await h.RunAsync(work);

        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(new ExportWindow(T0 - (17 * Minute) + 1, h.Time.NowMillis - (15 * Minute)), task.Window);
        Assert.Equal(T0 - (12 * Minute), task.Window.To);
    }

    [Fact]
    public async Task RunAsync_LateDataSignal_LogsEventsLateAndLateSignalsMetric()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (20 * Minute));
        var work = ExportWork.From(DataSignal(T0 - (25 * Minute), T0 - (2 * Minute), T0 - Minute, T0));

        await h.RunAsync(work);

        var late = Assert.Single(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Equal("WARN", late.GetProperty("level").GetString());
        Assert.Equal(LogGroup, late.GetProperty("logGroup").GetString());
        Assert.Equal(T0 - (25 * Minute), late.GetProperty("firstEventTime").GetInt64());
        Assert.Equal(T0 - (20 * Minute), late.GetProperty("exportedThrough").GetInt64());
        Assert.Equal(T0 - (20 * Minute), late.GetProperty("lateRangeEnd").GetInt64());
        Assert.Equal([1.0], h.Telemetry.MetricValues(MetricNames.LateSignals));
        Assert.Equal(LogGroup, h.Telemetry.Metrics(MetricNames.LateSignals)[0].GetProperty("LogGroup").GetString());
        // Late data is reported, never re-exported: the next window still starts after the checkpoint.
        Assert.Equal(T0 - (20 * Minute) + 1, Assert.Single(h.Tasks.Tasks).Window.From);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public async Task RunAsync_FirstEventAtOrJustAfterExportedThrough_LateOnlyWhenAlreadyExported(long afterCheckpoint, int expectedLate)
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (20 * Minute));
        var work = ExportWork.From(DataSignal(T0 - (20 * Minute) + afterCheckpoint, T0 - (2 * Minute), T0 - Minute, T0));

        await h.RunAsync(work);

        Assert.Equal(expectedLate, h.Telemetry.Events(LogEvents.EventsLate).Count);
        Assert.Equal(expectedLate, h.Telemetry.Metrics(MetricNames.LateSignals).Count);
    }

    [Fact]
    public async Task RunAsync_ContinuationOverExportedRange_ReportsNoLateEvents()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (20 * Minute));
        var work = ExportWork.From(DataSignal(T0 - (25 * Minute), T0 - (2 * Minute), T0 - Minute, T0) with { Kind = SignalKind.Continuation, Continuations = 2 });

        await h.RunAsync(work);

        Assert.Empty(h.Telemetry.Events(LogEvents.EventsLate));
        Assert.Empty(h.Telemetry.Metrics(MetricNames.LateSignals));
    }

    [Fact]
    public async Task RunAsync_LongBacklog_ProceedsWindowByWindowToDone()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.LogGroupCreation });
        var created = T0 - (2 * Day) - (6 * Hour);
        h.Tasks.LogGroupCreationTimes[LogGroup] = created;
        var work = Work(first: T0 - (20 * Minute));
        var states = new List<ExportState>();
        for (var run = 0; run < 8; run++)
        {
            var outcome = await h.RunAsync(work);
            states.Add(outcome.State);
            if (outcome.State == ExportState.Done)
            {
                break;
            }

            Assert.Single(h.Tasks.Tasks, t => t.Status == ExportTaskStatus.Pending);
            h.Tasks.CompleteAllActive();
            h.Advance(5 * Minute);
        }

        Assert.Equal([ExportState.Waiting, ExportState.Waiting, ExportState.Waiting, ExportState.Waiting, ExportState.Done], states);
        Assert.Equal(
            [
                new ExportWindow(created, created + Day - 1),
                new ExportWindow(created + Day, created + (2 * Day) - 1),
                new ExportWindow(created + (2 * Day), T0 - (5 * Minute)),
                new ExportWindow(T0 - (5 * Minute) + 1, T0),
            ],
            h.Tasks.Tasks.Select(t => t.Window));
        Assert.Equal(4, h.Tasks.CreateCalls);
        Assert.Equal(T0, h.Checkpoint!.ExportedThrough);
        Assert.Equal(4, h.Checkpoint.ExportsCompleted);
        Assert.Equal([1, 1, 1, 1], h.Tasks.Tasks.Select(t => int.Parse(t.TaskName[(t.TaskName.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task RunAsync_TasksCompleteImmediatelyOverLongBacklog_WaitsWithProgressSavedInsteadOfContention()
    {
        // moto completes export tasks synchronously; a week of backlog needs more steps than one run has.
        using var h = new CoordinatorHarness(DefaultPolicy with { StartMode = StartMode.LogGroupCreation });
        h.Tasks.InitialStatus = ExportTaskStatus.Completed;
        var created = T0 - (7 * Day);
        h.Tasks.LogGroupCreationTimes[LogGroup] = created;
        var work = Work(first: T0 - (20 * Minute));

        var first = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "step budget of one run used; continuing later", created + (5 * Day) - 1), first);
        Assert.Equal(6, h.Tasks.CreateCalls);
        Assert.Equal(created + (5 * Day) - 1, h.Checkpoint!.ExportedThrough);
        Assert.Equal("task-0006", h.Checkpoint.InFlight!.TaskId);
        Assert.Equal(0, h.Store.Conflicts);

        var second = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "data not settled yet", T0 - (15 * Minute)), second);
        Assert.Equal(7, h.Tasks.CreateCalls);
        Assert.Equal(
            Enumerable.Range(0, 6).Select(d => new ExportWindow(created + (d * Day), created + ((d + 1) * Day) - 1))
                .Append(new ExportWindow(created + (6 * Day), T0 - (15 * Minute))),
            h.Tasks.Tasks.Select(t => t.Window));
        Assert.Equal(7, h.Checkpoint!.ExportsCompleted);
    }

    [Fact]
    public async Task RunAsync_EveryWriteConflicts_ThrowsCheckpointContention()
    {
        using var h = new CoordinatorHarness();
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        void Interfere() => h.Store.BeforeNextWrite(() =>
        {
            h.Store.Put(h.Checkpoint!);
            Interfere();
            return Task.CompletedTask;
        });
        Interfere();

        await Assert.ThrowsAsync<CheckpointContentionException>(() => h.RunAsync(Work(first: T0 - (20 * Minute))));

        Assert.Equal(12, h.Store.Conflicts);
        Assert.Equal(0, h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_RecordedTaskUnknownToService_Throws()
    {
        using var h = new CoordinatorHarness();
        h.Store.Put(new Checkpoint
        {
            LogGroup = LogGroup,
            StartTime = T0 - Day,
            ExportedThrough = T0 - Hour,
            InFlight = new InFlightExport { TaskName = TaskName(T0 - Hour + 1, T0 - (15 * Minute), 1), From = T0 - Hour + 1, To = T0 - (15 * Minute), Attempt = 1, PlannedAt = At(T0), TaskId = "task-gone" },
            UpdatedAt = At(T0),
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.RunAsync(Work(first: T0 - (20 * Minute))));

        Assert.Contains("task-gone", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Tasks.CreateCalls);
    }
}
