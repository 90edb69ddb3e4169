using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>
/// Finding a window's task again: searching by name only for names a runner may have sent, only among tasks created
/// since the window was planned, adopting only a task that exports to our destination; and following a task that
/// DescribeExportTasks does not show yet right after its creation.
/// </summary>
public sealed class AdoptionTests
{
    private const long From = T0 - Hour + 1;
    private const long To = T0 - (30 * Minute);

    private static DateTimeOffset At(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    /// <summary>The name format of checkpoints written before names carried the deployment and destination.</summary>
    private static string OldStyleName(long from, long to, int attempt) => $"flowlogevents-{SignalPublisher.Hash(LogGroup)}-{from}-{to}-{attempt}";

    /// <summary>A window recorded and claimed <paramref name="claimedAgo"/> ago (the lease of 15 min is over), without a task id.</summary>
    private static void SeedClaimedWindow(CoordinatorHarness h, string taskName, long claimedAgo = 20 * Minute) => h.Store.Put(new Checkpoint
    {
        LogGroup = LogGroup,
        StartTime = T0 - Day,
        ExportedThrough = From - 1,
        InFlight = new InFlightExport { TaskName = taskName, From = From, To = To, Attempt = 1, PlannedAt = At(T0 - claimedAgo), ClaimedAt = At(T0 - claimedAgo) },
        UpdatedAt = At(T0 - claimedAgo),
    });

    // ---- finding 1: searches by name ----------------------------------------------------------

    [Fact]
    public async Task RunAsync_WindowReleasedAfterLimitExceeded_CreatesWithoutSearchingByName()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.SeedHistory(3_000);
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        h.Tasks.SlotHeldElsewhere = true;
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);

        h.Tasks.SlotHeldElsewhere = false;
        h.Advance(Minute);
        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), outcome);
        Assert.Equal((0, 0), (h.Tasks.FindByNameCalls, h.Tasks.DescribePages));
        Assert.Equal(2, h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_NextAttemptAfterFailedTask_CreatesWithoutSearchingByName()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.SeedHistory(3_000);
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);
        h.Tasks.SetStatus("task-0001", ExportTaskStatus.Failed, "Export task failed");

        h.Advance(Minute);
        var outcome = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0002"), outcome);
        Assert.Equal(2, h.Checkpoint!.InFlight!.Attempt);
        Assert.Equal((0, 0), (h.Tasks.FindByNameCalls, h.Tasks.DescribePages));
    }

    [Fact]
    public async Task RunAsync_ClaimedWindowNeverCreatedAmong3000Tasks_SearchesTwoPagesThenCreates()
    {
        using var h = new CoordinatorHarness();
        // One a minute, the newest a minute ago; the window was planned 20 min ago, so the search reads back to 35 min ago
        // (NameSearchSlack 15 min, no skew margin): 35 tasks of the first page, then a page of older ones.
        h.Tasks.SeedHistory(3_000);
        SeedClaimedWindow(h, OldStyleName(From, To, 1));

        var outcome = await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", From - 1, "task-0001"), outcome);
        Assert.Equal((1, 2), (h.Tasks.FindByNameCalls, h.Tasks.DescribePages));
        Assert.Equal(new ExportWindow(From, To), Assert.Single(h.Tasks.Tasks).Window);
    }

    [Fact]
    public async Task RunAsync_OurTaskCreatedBeforePlanningByAClockFurtherOffThanTheMargin_Adopted()
    {
        // The function's clock ran 3 min ahead of CloudWatch's (margin 0): the task is stamped before the window's planning.
        using var h = new CoordinatorHarness();
        var name = TaskName(From, To, 1);
        SeedClaimedWindow(h, name);
        var ours = h.Tasks.AddForeign(new ExportTaskSpec(name, LogGroup, From, To, Bucket, Destination), ExportTaskStatus.Running, T0 - (23 * Minute));

        var outcome = await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", From - 1, ours.TaskId), outcome);
        Assert.Equal(0, h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_ReclaimedWindowReleasedAfterLimitExceeded_StillSearchedNextTime()
    {
        // An earlier claim may have created the task (its answer was lost): a later LimitExceeded proves nothing about it.
        using var h = new CoordinatorHarness();
        SeedClaimedWindow(h, TaskName(From, To, 1));
        h.Tasks.SlotHeldElsewhere = true;
        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        var released = h.Checkpoint!.InFlight!;
        Assert.Equal((false, null), (released.Unsent, released.ClaimedAt));

        h.Tasks.SlotHeldElsewhere = false;
        h.Advance(Minute);
        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(2, h.Tasks.FindByNameCalls);
        Assert.Equal(new ExportWindow(From, To), Assert.Single(h.Tasks.Tasks).Window);
    }

    // ---- finding 6: no read-after-create ------------------------------------------------------

    [Fact]
    public async Task RunAsync_TaskNotYetVisibleRightAfterCreate_WaitsThenFollowsIt()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.HiddenAfterCreate = TimeSpan.FromSeconds(30);
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));

        var first = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task not visible in DescribeExportTasks yet", T0 - (40 * Minute) - 1, "task-0001"), first);
        var deferred = Assert.Single(h.Telemetry.Events(LogEvents.ExportDeferred));
        Assert.Equal("task-0001", deferred.GetProperty("taskId").GetString());
        Assert.Equal(1, h.Tasks.CreateCalls);

        h.Advance(Minute);
        var second = await h.RunAsync(work);

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task still active", T0 - (40 * Minute) - 1, "task-0001"), second);
        Assert.Equal(1, h.Tasks.CreateCalls);
    }

    [Fact]
    public async Task RunAsync_TaskStillUnknownPastTheGrace_Throws()
    {
        using var h = new CoordinatorHarness();
        h.Tasks.HiddenAfterCreate = TimeSpan.FromHours(1);
        h.SeedExportedThrough(T0 - (40 * Minute) - 1);
        var work = Work(first: T0 - (20 * Minute));
        await h.RunAsync(work);

        h.Advance((long)ExportPolicy.UnknownTaskGrace.TotalMilliseconds);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.RunAsync(work));

        Assert.Equal($"export task task-0001 recorded in the checkpoint of '{LogGroup}' is unknown to CloudWatch Logs", ex.Message);
        Assert.Equal(1, h.Tasks.CreateCalls);
    }

    // ---- finding 7: destination and deployment ------------------------------------------------

    [Fact]
    public async Task RunAsync_NameTakenByTaskOfAnotherBucket_NotAdoptedAndWindowExportedUnderFreshName()
    {
        using var h = new CoordinatorHarness();
        var name = OldStyleName(From, To, 1);
        SeedClaimedWindow(h, name);
        h.Tasks.AddForeign(new ExportTaskSpec(name, LogGroup, From, To, "second-stack-archive", Destination), ExportTaskStatus.Completed, T0 - (19 * Minute));

        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        var checkpoint = h.Checkpoint!;
        Assert.Equal(From - 1, checkpoint.ExportedThrough);
        Assert.Null(checkpoint.LastCompleted);
        var created = Assert.Single(h.Tasks.Tasks);
        Assert.Equal((Bucket, Destination, From, To), (created.Spec.Bucket, created.Spec.Prefix, created.Spec.From, created.Spec.To));
        Assert.NotEqual(name, created.TaskName);
        Assert.Equal(created.TaskName, checkpoint.InFlight!.TaskName);
        Assert.Equal(created.TaskId, checkpoint.InFlight.TaskId);
        var taken = Assert.Single(h.Telemetry.Events(LogEvents.TaskNameTaken));
        Assert.Equal("ERROR", taken.GetProperty("level").GetString());
        Assert.Equal("foreign-0001", taken.GetProperty("taskId").GetString());
        Assert.Equal("s3://second-stack-archive/" + Destination, taken.GetProperty("foundDestination").GetString());
        Assert.Equal(created.TaskName, taken.GetProperty("nextTaskName").GetString());
        Assert.Empty(h.Telemetry.Events(LogEvents.TaskAdopted));
    }

    [Fact]
    public async Task RunAsync_NameOfTaskCreatedBeforeTheWindowWasPlanned_NotAdopted()
    {
        // A start-over (checkpoint and marker deleted) plans the same window again: the task of the earlier life has its name.
        using var h = new CoordinatorHarness();
        var name = OldStyleName(From, To, 1);
        h.Tasks.AddForeign(new ExportTaskSpec(name, LogGroup, From, To, Bucket, Destination), ExportTaskStatus.Completed, T0 - (3 * Day));
        SeedClaimedWindow(h, name);

        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(From - 1, h.Checkpoint!.ExportedThrough);
        var created = Assert.Single(h.Tasks.Tasks);
        Assert.Equal(name, created.TaskName);
        Assert.Equal(created.TaskId, h.Checkpoint.InFlight!.TaskId);
        Assert.Empty(h.Telemetry.Events(LogEvents.TaskAdopted));
    }

    [Fact]
    public async Task RunAsync_OldStyleNameInFlightWithOurTask_AdoptsIt()
    {
        using var h = new CoordinatorHarness();
        var name = OldStyleName(From, To, 1);
        SeedClaimedWindow(h, name);
        var ours = h.Tasks.AddForeign(new ExportTaskSpec(name, LogGroup, From, To, Bucket, Destination), ExportTaskStatus.Completed, T0 - (19 * Minute));

        await h.RunAsync(Work(first: T0 - (20 * Minute)));

        Assert.Equal(new ExportWindow(To + 1, T0 - (15 * Minute)), Assert.Single(h.Tasks.Tasks).Window); // the next window, not this one again
        Assert.Equal(new CompletedExport(ours.TaskId, name, From, To, At(T0), At(T0 - (20 * Minute))), h.Checkpoint!.LastCompleted);
        Assert.Equal(ours.TaskId, Assert.Single(h.Telemetry.Events(LogEvents.TaskAdopted)).GetProperty("taskId").GetString());
    }

    // ---- late re-exports: the same rules ------------------------------------------------------

    private const string Stream = "eni-0a1b2c3d4e5f6000a-all";

    private static ExportWork LateWork() =>
        ExportWork.From(DataSignal(T0 - (25 * Minute), T0 - (2 * Minute), T0 - Minute, T0) with { LogStream = Stream });

    [Fact]
    public async Task RunAsync_QueuedLateRange_CreatedWithoutSearchingByName()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { LateEvents = LateEventsMode.Reexport });
        h.Tasks.SeedHistory(3_000);
        // No regular window is ready yet (it must span the minimum window past exportedThrough): the late range goes first.
        h.SeedExportedThrough(T0 - (16 * Minute));

        await h.RunAsync(LateWork());

        var task = Assert.Single(h.Tasks.Tasks);
        Assert.Equal((Stream, Destination + "/late"), (task.Spec.LogStreamPrefix, task.Spec.Prefix));
        Assert.Equal((0, 0), (h.Tasks.FindByNameCalls, h.Tasks.DescribePages));
    }

    [Fact]
    public async Task RunAsync_LateTaskNotYetVisibleRightAfterCreate_Waits()
    {
        using var h = new CoordinatorHarness(DefaultPolicy with { LateEvents = LateEventsMode.Reexport });
        h.Tasks.HiddenAfterCreate = TimeSpan.FromSeconds(30);
        // No regular window is ready yet (it must span the minimum window past exportedThrough): the late range goes first.
        h.SeedExportedThrough(T0 - (16 * Minute));

        var outcome = await h.RunAsync(LateWork());

        Assert.Equal(new ExportOutcome(ExportState.Waiting, "export task not visible in DescribeExportTasks yet", T0 - (16 * Minute), "task-0001"), outcome);
        Assert.Equal(("task-0001", At(T0)), (h.Checkpoint!.LateExports[0].TaskId, h.Checkpoint.LateExports[0].TaskRecordedAt));
    }
}
