using FlowLogEvents.Exports;
using FlowLogEvents.Exports.StateMachine;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports.StateMachine;

/// <summary>
/// The pure decision of the export state machine over real-shaped checkpoints (the harness's policy: settle delay 15
/// minutes, windows 5 minutes to 1 day, claim lease 15 minutes, split after 2 failures): one step for each state.
/// </summary>
public sealed class ExportStateMachineTests
{
    private const long Target = T0 - 1;
    private const string Stream = "eni-0a1b2c3d4e5f6000a-all";
    private const string LateDestination = Destination + "/late";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(T0);
    private static readonly DateTimeOffset Earlier = DateTimeOffset.FromUnixTimeMilliseconds(T0 - (20 * Minute));
    private static readonly ExportStateMachine Machine = new(DefaultPolicy);

    private static readonly long From = T0 - Hour + 1;
    private static readonly long To = T0 - (15 * Minute);

    /// <summary>Each state by name: the checkpoint, and what the shell found out about the export's task (null: not asked yet).</summary>
    private static readonly Dictionary<string, (Checkpoint Checkpoint, TaskLookup? Lookup)> States = new(StringComparer.Ordinal)
    {
        ["exported through the target"] = (Seed(Target), null),
        ["not settled"] = (Seed(T0 - (15 * Minute) - 1), null),
        ["window ready"] = (Seed(T0 - Hour), null),
        ["window unsent"] = (WithWindow(Window() with { Unsent = true }), null),
        ["window maybe sent, not searched"] = (WithWindow(Window()), null),
        ["window searched, ours found"] = (WithWindow(Window()), Found(Task("task-0001", ExportTaskStatus.Running))),
        ["window searched, nothing found"] = (WithWindow(Window()), TaskLookup.None),
        ["window claimed within the lease, searched"] = (WithWindow(Window() with { ClaimedAt = Now - TimeSpan.FromMinutes(14) }), TaskLookup.None),
        ["window claimed, lease expired, searched"] = (WithWindow(Window() with { ClaimedAt = Now - TimeSpan.FromMinutes(15) }), TaskLookup.None),
        ["task recorded, not described"] = (WithWindow(Recorded(Window())), null),
        ["task unknown within the grace"] = (WithWindow(Recorded(Window()) with { TaskRecordedAt = Now - TimeSpan.FromMinutes(4) }), TaskLookup.None),
        ["task unknown after the grace"] = (WithWindow(Recorded(Window()) with { TaskRecordedAt = Now - TimeSpan.FromMinutes(5) }), TaskLookup.None),
        ["task pending"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.Pending)),
        ["task running"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.Running)),
        ["task pending cancel"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.PendingCancel)),
        ["task completed"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.Completed)),
        ["task failed once"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.Failed)),
        ["task cancelled once"] = (WithWindow(Recorded(Window())), Described(ExportTaskStatus.Cancelled)),
        ["task failed twice"] = (WithWindow(Recorded(Window() with { Attempt = 2 })), Described(ExportTaskStatus.Failed)),
        ["late queued, no window ready"] = (WithLate(Seed(Target), LateRange()), null),
        ["late queued, window ready, regular ended last"] = (WithLate(Seed(T0 - Hour) with { LastTaskEnded = ExportKind.Regular }, LateRange()), null),
        ["late queued, window ready, late ended last"] = (WithLate(Seed(T0 - Hour) with { LastTaskEnded = ExportKind.Late }, LateRange()), null),
        ["late task recorded, window ready"] = (WithLate(Seed(T0 - Hour), Recorded(LateRange())), null),
        ["late task completed"] = (WithLate(Seed(Target), Recorded(LateRange())), Described(ExportTaskStatus.Completed)),
        ["late task failed twice"] = (WithLate(Seed(Target), Recorded(LateRange() with { Attempt = 2 })), Described(ExportTaskStatus.Failed)),
    };

    [Theory]
    [InlineData("exported through the target", ExportStepKind.Done, ExportKind.Regular)]
    [InlineData("not settled", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("window ready", ExportStepKind.PlanWindow, ExportKind.Regular)]
    [InlineData("window unsent", ExportStepKind.ClaimTask, ExportKind.Regular)]
    [InlineData("window maybe sent, not searched", ExportStepKind.SearchTask, ExportKind.Regular)]
    [InlineData("window searched, ours found", ExportStepKind.AdoptTask, ExportKind.Regular)]
    [InlineData("window searched, nothing found", ExportStepKind.ClaimTask, ExportKind.Regular)]
    [InlineData("window claimed within the lease, searched", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("window claimed, lease expired, searched", ExportStepKind.ClaimTask, ExportKind.Regular)]
    [InlineData("task recorded, not described", ExportStepKind.DescribeTask, ExportKind.Regular)]
    [InlineData("task unknown within the grace", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("task unknown after the grace", ExportStepKind.SetAside, ExportKind.Regular)]
    [InlineData("task pending", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("task running", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("task pending cancel", ExportStepKind.Wait, ExportKind.Regular)]
    [InlineData("task completed", ExportStepKind.Advance, ExportKind.Regular)]
    [InlineData("task failed once", ExportStepKind.RetryNewAttempt, ExportKind.Regular)]
    [InlineData("task cancelled once", ExportStepKind.RetryNewAttempt, ExportKind.Regular)]
    [InlineData("task failed twice", ExportStepKind.SplitWindow, ExportKind.Regular)]
    [InlineData("late queued, no window ready", ExportStepKind.ClaimTask, ExportKind.Late)]
    [InlineData("late queued, window ready, regular ended last", ExportStepKind.ClaimTask, ExportKind.Late)]
    [InlineData("late queued, window ready, late ended last", ExportStepKind.PlanWindow, ExportKind.Regular)]
    [InlineData("late task recorded, window ready", ExportStepKind.DescribeTask, ExportKind.Late)]
    [InlineData("late task completed", ExportStepKind.Advance, ExportKind.Late)]
    [InlineData("late task failed twice", ExportStepKind.SplitWindow, ExportKind.Late)]
    public void Decide_State_OneStep(string state, ExportStepKind kind, ExportKind export)
    {
        var (checkpoint, lookup) = States[state];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        Assert.Equal((kind, export), (step.Kind, step.Export));
    }

    [Theory]
    [InlineData("not settled", WaitReason.NotSettled, "data not settled yet")]
    [InlineData("window claimed within the lease, searched", WaitReason.ClaimedByAnother, "another runner claimed this window and may be creating its task")]
    [InlineData("task unknown within the grace", WaitReason.TaskNotVisibleYet, "export task not visible in DescribeExportTasks yet")]
    [InlineData("task pending", WaitReason.TaskActive, "export task still active")]
    [InlineData("task running", WaitReason.TaskActive, "export task still active")]
    [InlineData("task pending cancel", WaitReason.TaskActive, "export task still active")]
    public void Decide_WaitingState_WaitsWithItsReason(string state, WaitReason reason, string text)
    {
        var (checkpoint, lookup) = States[state];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        Assert.Equal((ExportStepKind.Wait, reason, text), (step.Kind, step.WaitReason, step.Reason));
    }

    [Fact]
    public void Decide_WindowReady_PlansTheNextWindowClaimedInOneWrite()
    {
        var step = Machine.Decide(Seed(T0 - Hour), Target, Now);

        var expected = new InFlightExport { TaskName = TaskName(From, To, 1), From = From, To = To, Attempt = 1, PlannedAt = Now, ClaimedAt = Now };
        Assert.Equal(Seed(T0 - Hour) with { InFlight = expected, UpdatedAt = Now }, step.Next);
        Assert.Equal(("plan", true, Destination), (step.WriteName, step.UnsentBefore, step.DestinationPrefix));
    }

    [Fact]
    public void Decide_LateClaimedWithinTheLease_WaitsWithTheLateReason()
    {
        var claimed = WithLate(Seed(Target), LateRange() with { Unsent = false, ClaimedAt = Now - TimeSpan.FromMinutes(1) });

        var step = Machine.Decide(claimed, Target, Now, TaskLookup.None);

        Assert.Equal((WaitReason.ClaimedByAnother, "another runner claimed this late re-export and may be creating its task"), (step.WaitReason, step.Reason));
    }

    [Fact]
    public void Decide_LateTaskRunning_WaitsWithTheLateReason()
    {
        var step = Machine.Decide(WithLate(Seed(Target), Recorded(LateRange())), Target, Now, Described(ExportTaskStatus.Running));

        Assert.Equal((WaitReason.TaskActive, "late re-export task still active"), (step.WaitReason, step.Reason));
    }

    [Fact]
    public void Decide_TaskUnknownAfterTheGrace_SetsAsideNamingTheTask()
    {
        var (checkpoint, lookup) = States["task unknown after the grace"];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        Assert.Equal($"export task task-0001 recorded in the checkpoint of '{LogGroup}' is unknown to CloudWatch Logs", step.Reason);
    }

    [Fact]
    public void Decide_LateTaskUnknownAfterTheGrace_SetsAsideNamingTheLateTask()
    {
        var late = WithLate(Seed(Target), Recorded(LateRange()) with { TaskRecordedAt = Now - TimeSpan.FromMinutes(6) });

        var step = Machine.Decide(late, Target, Now, TaskLookup.None);

        Assert.Equal((ExportStepKind.SetAside, $"late re-export task task-0001 recorded in the checkpoint of '{LogGroup}' is unknown to CloudWatch Logs"), (step.Kind, step.Reason));
    }

    [Fact]
    public void Decide_SearchFoundOursAndAForeignTask_AdoptsOursRecordingItsId()
    {
        var foreign = Task("task-0009", ExportTaskStatus.Completed) with { DestinationPrefix = "other/prefix" };
        var ours = Task("task-0001", ExportTaskStatus.Running);

        var step = Machine.Decide(WithWindow(Window()), Target, Now, Found(foreign, ours));

        Assert.Equal(WithWindow(Window() with { TaskId = "task-0001", TaskRecordedAt = Now }) with { UpdatedAt = Now }, step.Next);
        Assert.Equal(("adopt", ours), (step.WriteName, step.Task));
    }

    [Fact]
    public void Decide_SearchFoundOnlyAForeignTask_ClaimsUnderAFreshNameNeverSent()
    {
        var foreign = Task("task-0009", ExportTaskStatus.Completed) with { DestinationPrefix = "other/prefix" };

        var step = Machine.Decide(WithWindow(Window()), Target, Now, Found(foreign));

        var fresh = ExportPolicy.FreshTaskName(TaskName(From, To, 1), TaskName(From, To, 1), "task-0009");
        Assert.Equal(WithWindow(Window() with { TaskName = fresh, ClaimedAt = Now }) with { UpdatedAt = Now }, step.Next);
        Assert.Equal(("claim", true, foreign), (step.WriteName, step.UnsentBefore, Assert.Single(step.Foreign)));
    }

    [Fact]
    public void Decide_NothingFoundForAWindowMaybeSent_ClaimsItSentBefore()
    {
        var step = Machine.Decide(WithWindow(Window()), Target, Now, TaskLookup.None);

        Assert.Equal(WithWindow(Window() with { ClaimedAt = Now }) with { UpdatedAt = Now }, step.Next);
        Assert.False(step.UnsentBefore);
    }

    [Fact]
    public void Decide_TaskCompleted_AdvancesThroughTheWindowAndRecordsIt()
    {
        var (checkpoint, lookup) = States["task completed"];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        Assert.Equal(
            checkpoint with
            {
                ExportedThrough = To,
                InFlight = null,
                LastCompleted = new CompletedExport("task-0001", TaskName(From, To, 1), From, To, Now, Earlier),
                ExportsCompleted = 4,
                LastTaskEnded = ExportKind.Regular,
                UpdatedAt = Now,
            },
            step.Next);
        Assert.Equal("complete", step.WriteName);
    }

    [Fact]
    public void Decide_TaskCompletedWithTheRestOfASplitWindow_PromotesItUnclaimedAndUnsent()
    {
        var rest = new ExportWindow(To + 1, To + Hour);
        var checkpoint = WithWindow(Recorded(Window())) with { RemainingWindows = [rest, new ExportWindow(To + Hour + 1, To + (2 * Hour))] };

        var step = Machine.Decide(checkpoint, Target, Now, Described(ExportTaskStatus.Completed));

        Assert.Equal(new InFlightExport { TaskName = TaskName(rest.From, rest.To, 1), From = rest.From, To = rest.To, Attempt = 1, PlannedAt = Now, Unsent = true }, step.Next!.InFlight);
        Assert.Equal([new ExportWindow(To + Hour + 1, To + (2 * Hour))], step.Next.RemainingWindows);
    }

    [Fact]
    public void Decide_TaskFailedOnce_RetriesTheSameRangeAsTheNextAttemptUnsent()
    {
        var (checkpoint, lookup) = States["task failed once"];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        var retry = new InFlightExport { TaskName = TaskName(From, To, 2), From = From, To = To, Attempt = 2, PlannedAt = Now, Unsent = true };
        Assert.Equal(checkpoint with { InFlight = retry, LastTaskEnded = ExportKind.Regular, UpdatedAt = Now }, step.Next);
        Assert.Equal(("retry", FailedWindowAction.Retry), (step.WriteName, step.Decision!.Value.Action));
    }

    [Fact]
    public void Decide_TaskFailedTwice_SplitsIntoHalvesTheSecondRemembered()
    {
        var (checkpoint, lookup) = States["task failed twice"];

        var step = Machine.Decide(checkpoint, Target, Now, lookup);

        var mid = From + ((To - From + 2) / 2) - 1;
        var first = new InFlightExport { TaskName = TaskName(From, mid, 1), From = From, To = mid, Attempt = 1, PlannedAt = Now, Unsent = true };
        Assert.Equal(checkpoint with { InFlight = first, RemainingWindows = [new ExportWindow(mid + 1, To)], LastTaskEnded = ExportKind.Regular, UpdatedAt = Now }, step.Next);
        Assert.Equal("split", step.WriteName);
    }

    [Fact]
    public void Decide_WindowAtTheFloorFailedTwice_RetriesItAsTheNextAttempt()
    {
        var floor = Window() with { To = From + Minute, Attempt = 2 };

        var step = Machine.Decide(WithWindow(Recorded(floor)), Target, Now, Described(ExportTaskStatus.Failed));

        Assert.Equal((ExportStepKind.RetryNewAttempt, FailedWindowAction.RetryAtFloor, 3, "retry"), (step.Kind, step.Decision!.Value.Action, step.Next!.InFlight!.Attempt, step.WriteName));
    }

    [Fact]
    public void Decide_LateQueued_ClaimsItIntoTheLatePrefixWithoutSearching()
    {
        var checkpoint = WithLate(Seed(Target), LateRange());

        var step = Machine.Decide(checkpoint, Target, Now);

        Assert.Equal(WithLate(Seed(Target), LateRange() with { Unsent = false, ClaimedAt = Now }) with { UpdatedAt = Now }, step.Next);
        Assert.Equal(("claim-late", true, LateDestination), (step.WriteName, step.UnsentBefore, step.DestinationPrefix));
    }

    [Fact]
    public void Decide_RangeBeforeTheStartQueued_ClaimsItIntoTheRegularPrefix()
    {
        var before = new InFlightExport { TaskName = TaskName(T0 - (2 * Day), T0 - Day - 1, 1), From = T0 - (2 * Day), To = T0 - Day - 1, Attempt = 1, PlannedAt = Earlier, Unsent = true };

        var step = Machine.Decide(WithLate(Seed(Target), before), Target, Now);

        Assert.Equal((ExportStepKind.ClaimTask, ExportKind.Late, Destination, "claim-late"), (step.Kind, step.Export, step.DestinationPrefix, step.WriteName));
    }

    [Fact]
    public void Decide_LateTaskCompleted_DropsItFromTheQueueLeavingTheCheckpointWhereItWas()
    {
        var next = LateRange() with { From = T0 - (50 * Minute), To = T0 - (45 * Minute) };
        var checkpoint = WithLate(Seed(Target), Recorded(LateRange()), next);

        var step = Machine.Decide(checkpoint, Target, Now, Described(ExportTaskStatus.Completed));

        Assert.Equal(Seed(Target) with { LateExports = [next], LastTaskEnded = ExportKind.Late, UpdatedAt = Now }, step.Next);
        Assert.Equal("complete-late", step.WriteName);
    }

    [Fact]
    public void Decide_LateTaskFailedTwice_QueuesItsHalvesFirstKeepingStreamAndIngestionBound()
    {
        var failed = Recorded(LateRange() with { Attempt = 2 });
        var next = LateRange() with { From = T0 - (50 * Minute), To = T0 - (45 * Minute) };

        var step = Machine.Decide(WithLate(Seed(Target), failed, next), Target, Now, Described(ExportTaskStatus.Failed));

        var (from, to) = (failed.From, failed.To);
        var mid = from + ((to - from + 2) / 2) - 1;
        InFlightExport Half(long f, long t) => new()
        {
            TaskName = DefaultPolicy.LateTaskName(LogGroup, Stream, f, t, T0, 1),
            From = f,
            To = t,
            Attempt = 1,
            PlannedAt = Now,
            Unsent = true,
            LogStream = Stream,
            IngestedBy = T0,
        };
        Assert.Equal(Seed(Target) with { LateExports = [Half(from, mid), Half(mid + 1, to), next], LastTaskEnded = ExportKind.Late, UpdatedAt = Now }, step.Next);
        Assert.Equal("split-late", step.WriteName);
    }

    /// <summary>
    /// Regular windows and late exports release a claim the same way (one code path): unclaimed, unsent again exactly when
    /// no request had been sent before the claim, written at the claim's instant.
    /// </summary>
    [Theory]
    [InlineData(ExportKind.Regular, true)]
    [InlineData(ExportKind.Regular, false)]
    [InlineData(ExportKind.Late, true)]
    [InlineData(ExportKind.Late, false)]
    public void Released_EitherKind_ClearsTheClaimAndRestoresUnsent(ExportKind kind, bool unsentBefore)
    {
        var claimedExport = (kind == ExportKind.Regular ? Window() : LateRange()) with { Unsent = false, ClaimedAt = Now };
        var claimed = ExportStateMachine.With(kind == ExportKind.Regular ? Seed(T0 - Hour) : Seed(Target), kind, claimedExport, Now);

        var released = ExportStateMachine.Released(claimed, kind, unsentBefore);

        Assert.Equal(ExportStateMachine.With(claimed, kind, claimedExport with { ClaimedAt = null, Unsent = unsentBefore }, Now), released);
    }

    [Theory]
    [InlineData(ExportKind.Regular)]
    [InlineData(ExportKind.Late)]
    public void Recorded_EitherKind_KeepsTheClaimAndRecordsTheTaskAtItsInstant(ExportKind kind)
    {
        var claimedExport = (kind == ExportKind.Regular ? Window() : LateRange()) with { Unsent = false, ClaimedAt = Earlier };
        var claimed = ExportStateMachine.With(Seed(Target), kind, claimedExport, Earlier);

        var recorded = ExportStateMachine.Recorded(claimed, kind, "task-0001", Now);

        Assert.Equal(ExportStateMachine.With(claimed, kind, claimedExport with { TaskId = "task-0001", TaskRecordedAt = Now }, Now), recorded);
    }

    private static Checkpoint Seed(long exportedThrough) => new()
    {
        LogGroup = LogGroup,
        StartTime = T0 - Day,
        ExportedThrough = exportedThrough,
        ExportsCompleted = 3,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
    };

    private static InFlightExport Window() => new() { TaskName = TaskName(From, To, 1), From = From, To = To, Attempt = 1, PlannedAt = Earlier };

    private static InFlightExport LateRange() => new()
    {
        LogStream = Stream,
        TaskName = DefaultPolicy.LateTaskName(LogGroup, Stream, T0 - (70 * Minute), T0 - (65 * Minute), T0, 1),
        From = T0 - (70 * Minute),
        To = T0 - (65 * Minute),
        Attempt = 1,
        PlannedAt = Earlier,
        Unsent = true,
        IngestedBy = T0,
    };

    private static InFlightExport Recorded(InFlightExport export) => export with { Unsent = false, ClaimedAt = Earlier, TaskId = "task-0001", TaskRecordedAt = Earlier };

    private static Checkpoint WithWindow(InFlightExport window) => Seed(T0 - Hour) with { InFlight = window };

    private static Checkpoint WithLate(Checkpoint checkpoint, params InFlightExport[] late) => checkpoint with { LateExports = new(late) };

    private static ExportTaskInfo Task(string taskId, ExportTaskStatus status) => new(taskId, TaskName(From, To, 1), status, null, Bucket, Destination);

    private static TaskLookup Found(params ExportTaskInfo[] tasks) => new(tasks);

    private static TaskLookup Described(ExportTaskStatus status) => TaskLookup.Described(Task("task-0001", status));
}
