using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>The export-task state machine without HTTP: slot rule, status by the clock, snapshot, paging, cancellation, faults.</summary>
public sealed class ExportTaskBookTests
{
    private const string Group = "/vpc/flow-logs";
    private static readonly ExportTaskTiming Timing = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10));

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ExportTaskStats _stats = new();
    private readonly IngestionLog _ingestion;
    private readonly ExportTaskBook _book;

    public ExportTaskBookTests()
    {
        _ingestion = new IngestionLog(_clock);
        _book = new ExportTaskBook(_clock, Timing, _stats, _ingestion);
    }

    private static EmulatedExportTaskSpec Spec(long from = 1_000, long to = 2_000, string? streamPrefix = null) =>
        new("t", Group, streamPrefix, from, to, "bucket", "exportedlogs");

    private string Status(string taskId) => _book.Describe(taskId, null, null, null).Tasks.Single().StatusCode;

    /// <summary>Completes due tasks as the front does, without writing anything.</summary>
    private IReadOnlyList<DueTask> Complete()
    {
        var due = _book.TakeDue();
        foreach (var task in due)
        {
            _book.Finish(task.TaskId, null);
        }

        return due;
    }

    [Fact]
    public void Create_WhileATaskIsPendingOrRunning_ThrowsLimitExceededAndCountsIt()
    {
        _book.Create(Spec());

        var pending = Assert.Throws<ExportTaskException>(() => _book.Create(Spec()));
        _clock.Advance(TimeSpan.FromSeconds(30));
        var running = Assert.Throws<ExportTaskException>(() => _book.Create(Spec()));

        Assert.Equal(("LimitExceededException", "Resource limit exceeded."), (pending.Code, pending.Message));
        Assert.Equal("LimitExceededException", running.Code);
        Assert.Equal((1, 2, 1), (_stats.Created, _stats.LimitExceededAnswers, _stats.Active));
    }

    [Fact]
    public void Create_AfterTheActiveTaskCompleted_Succeeds()
    {
        var first = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromSeconds(60));
        Complete();

        var second = _book.Create(Spec());

        Assert.NotEqual(first.TaskId, second.TaskId);
        Assert.Equal((2, 1, 1, 0), (_stats.Created, _stats.Completed, _stats.Active, _stats.LimitExceededAnswers));
    }

    [Fact]
    public void Status_AsTheClockAdvances_IsPendingThenRunningForBasePlusPerThousandEventsThenDue()
    {
        _ingestion.Append(Group, "s", Enumerable.Range(0, 2500).Select(i => (1_000L + i, "m")));
        var task = _book.Create(Spec(1_000, 10_000));
        var created = _clock.NowMillis;
        var seen = new List<(long, string, int)>();

        // 20 s pending, then 40 s + 10 s x 2500/1000 = 65 s running.
        foreach (var at in new long[] { 0, 19_999, 20_000, 84_999, 85_000 })
        {
            _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(created + at));
            seen.Add((at, Status(task.TaskId), Complete().Count));
        }

        Assert.Equal([(0, "PENDING", 0), (19_999, "PENDING", 0), (20_000, "RUNNING", 0), (84_999, "RUNNING", 0), (85_000, "RUNNING", 1)], seen);
        var done = _book.List().Single();
        Assert.Equal(("COMPLETED", "Completed successfully", created + 85_000, 2500), (done.StatusCode, done.StatusMessage, done.CompletionTime, done.EventCount));
        Assert.Equal((1, 0), (_stats.Completed, _stats.Active));
    }

    [Fact]
    public void TakeDue_TaskNotYetFinished_StaysRunningAndHoldsTheSlot()
    {
        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromMinutes(5));

        var due = _book.TakeDue();

        Assert.Equal([task.TaskId], due.Select(d => d.TaskId));
        Assert.Empty(_book.TakeDue());
        Assert.Equal("RUNNING", Status(task.TaskId));
        Assert.Equal("LimitExceededException", Assert.Throws<ExportTaskException>(() => _book.Create(Spec())).Code);
    }

    [Fact]
    public void Create_Snapshot_HoldsInclusiveBoundsAndOnlyEventsIngestedUpToCreation()
    {
        _ingestion.Append(Group, "a", [(999, "before from"), (1_000, "at from"), (1_500, "inside"), (2_000, "at to"), (2_001, "after to")]);
        _ingestion.Append(Group, "b", [(1_200, "other stream")]);
        _ingestion.Append("/other/group", "a", [(1_500, "other group")]);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _ingestion.Append(Group, "a", [(1_600, "after the snapshot")]);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var due = Assert.Single(_book.TakeDue());

        Assert.Equal(task.TaskId, due.TaskId);
        Assert.Equal(["at from", "inside", "at to", "other stream"], due.Events.Select(e => e.Message));
    }

    [Fact]
    public void Create_WithStreamPrefix_TakesOnlyMatchingStreams()
    {
        _ingestion.Append(Group, "eni-1-all", [(1_000, "one")]);
        _ingestion.Append(Group, "eni-2-all", [(1_000, "two")]);

        _book.Create(Spec(streamPrefix: "eni-2"));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["two"], Assert.Single(_book.TakeDue()).Events.Select(e => e.Message));
    }

    [Fact]
    public void Describe_FiltersAndPages_NewestFirstWithStableTokens()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(_book.Create(Spec()).TaskId);
            _clock.Advance(TimeSpan.FromMinutes(1));
            Complete();
        }

        var last = _book.Create(Spec()).TaskId;
        var page1 = _book.Describe(null, null, 2, null);
        var page2 = _book.Describe(null, null, 2, page1.NextToken);
        var page3 = _book.Describe(null, null, 2, page2.NextToken);
        var completed = _book.Describe(null, "COMPLETED", 3, null);
        var completedNext = _book.Describe(null, "COMPLETED", 3, completed.NextToken);

        Assert.Equal([last, ids[4]], page1.Tasks.Select(t => t.TaskId));
        Assert.Equal([ids[3], ids[2]], page2.Tasks.Select(t => t.TaskId));
        Assert.Equal([ids[1], ids[0]], page3.Tasks.Select(t => t.TaskId));
        Assert.Null(page3.NextToken);
        Assert.Equal([ids[4], ids[3], ids[2]], completed.Tasks.Select(t => t.TaskId));
        Assert.Equal([ids[1], ids[0]], completedNext.Tasks.Select(t => t.TaskId));
        Assert.Null(completedNext.NextToken);
        Assert.Equal([last], _book.Describe(null, "PENDING", null, null).Tasks.Select(t => t.TaskId));
        Assert.Empty(_book.Describe(null, "RUNNING", null, null).Tasks);
        Assert.Equal([ids[2]], _book.Describe(ids[2], null, null, null).Tasks.Select(t => t.TaskId));
        Assert.Empty(_book.Describe(ids[2], "PENDING", null, null).Tasks);
        Assert.Empty(_book.Describe("unknown", null, null, null).Tasks);
    }

    [Fact]
    public void Describe_NewTaskWithinTheLag_NotShownByIdOrInListingsButHoldsTheSlot()
    {
        _book.HideNewTasksFor(TimeSpan.FromSeconds(30));
        var task = _book.Create(Spec());

        _clock.Advance(TimeSpan.FromSeconds(29));
        var byIdEarly = _book.Describe(task.TaskId, null, null, null);
        var listedEarly = _book.Describe(null, null, null, null);
        var busy = Assert.Throws<ExportTaskException>(() => _book.Create(Spec()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var byIdLater = _book.Describe(task.TaskId, null, null, null);

        Assert.Empty(byIdEarly.Tasks);
        Assert.Empty(listedEarly.Tasks);
        Assert.Equal("LimitExceededException", busy.Code);
        Assert.Equal((task.TaskId, "RUNNING"), (byIdLater.Tasks.Single().TaskId, byIdLater.Tasks.Single().StatusCode));
    }

    [Fact]
    public void SeedHistory_ThousandsOfOldTasks_ListedCompletedAfterNewerTasksNewestFirst()
    {
        _book.SeedHistory(3_000, TimeSpan.FromMinutes(1));
        var ours = _book.Create(Spec());

        var first = _book.Describe(null, null, 50, null);
        var pages = 1;
        var token = first.NextToken;
        var all = new List<ExportTaskView>(first.Tasks);
        while (token is not null)
        {
            var page = _book.Describe(null, null, 50, token);
            all.AddRange(page.Tasks);
            token = page.NextToken;
            pages++;
        }

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(ours.TaskId, first.Tasks[0].TaskId);
        Assert.Equal((3_001, 61), (all.Count, pages));
        Assert.Equal(now - 60_000, all[1].CreationTime);
        Assert.Equal(now - (3_000 * 60_000L), all[^1].CreationTime);
        Assert.All(all.Skip(1), t => Assert.Equal((ExportTaskStatusCodes.Completed, true), (t.StatusCode, t.Foreign)));
        Assert.Equal((1, 0), (_stats.Created, _stats.Completed));
    }

    [Fact]
    public void Describe_AnswersShowingPendingOrRunning_AreCounted()
    {
        _book.Create(Spec());
        _book.Describe(null, null, null, null);
        _book.Describe(null, "COMPLETED", null, null);
        _clock.Advance(TimeSpan.FromSeconds(20));
        _book.Describe(null, null, null, null);
        _book.Describe(null, null, null, null);

        Assert.Equal((1, 2), (_stats.SeenPending, _stats.SeenRunning));
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(51, null, null)]
    [InlineData(null, "DONE", null)]
    [InlineData(null, null, "abc")]
    [InlineData(null, null, "-1")]
    public void Describe_InvalidLimitStatusOrToken_ThrowsInvalidParameter(int? limit, string? status, string? token)
    {
        var ex = Assert.Throws<ExportTaskException>(() => _book.Describe(null, status, limit, token));

        Assert.Equal("InvalidParameterException", ex.Code);
    }

    [Fact]
    public void Cancel_ActiveTask_CancelsNowAndFreesTheSlot()
    {
        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromSeconds(25));

        var cancelled = _book.Cancel(task.TaskId);
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(("CANCELLED", _clock.NowMillis - 300_000), (cancelled.StatusCode, cancelled.CompletionTime));
        Assert.Empty(_book.TakeDue());
        Assert.Equal("CANCELLED", Status(task.TaskId));
        _book.Create(Spec());
        Assert.Equal((1, 0, 1), (_stats.Cancelled, _stats.Completed, _stats.Active));
    }

    [Fact]
    public void Cancel_FinishedOrUnknownTask_ThrowsInvalidOperationOrResourceNotFound()
    {
        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Complete();

        var finished = Assert.Throws<ExportTaskException>(() => _book.Cancel(task.TaskId));
        var unknown = Assert.Throws<ExportTaskException>(() => _book.Cancel("nope"));

        Assert.Equal(("InvalidOperationException", "The specified export task has already finished"), (finished.Code, finished.Message));
        Assert.Equal(("ResourceNotFoundException", "The specified export task does not exist."), (unknown.Code, unknown.Message));
    }

    [Fact]
    public void Finish_AfterCancelWhileWriting_KeepsCancelled()
    {
        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(_book.TakeDue());

        _book.Cancel(task.TaskId);
        _book.Finish(task.TaskId, null);

        Assert.Equal("CANCELLED", Status(task.TaskId));
        Assert.Equal((1, 0, 0), (_stats.Cancelled, _stats.Completed, _stats.Active));
    }

    [Fact]
    public void Finish_WithFailure_EndsFailedWithTheMessage()
    {
        var task = _book.Create(Spec());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(_book.TakeDue());

        _book.Finish(task.TaskId, "bucket gone");

        var view = _book.List().Single();
        Assert.Equal(("FAILED", "bucket gone"), (view.StatusCode, view.StatusMessage));
        Assert.Equal((1, 0), (_stats.Failed, _stats.Active));
    }

    [Fact]
    public void HoldSlot_ForeignTask_RefusesOursUntilItsTimeIsOverAndIsNotInStats()
    {
        var holder = _book.HoldSlot(TimeSpan.FromMinutes(10));

        var refused = Assert.Throws<ExportTaskException>(() => _book.Create(Spec()));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(_book.TakeDue());
        var ours = _book.Create(Spec());

        Assert.Equal("LimitExceededException", refused.Code);
        Assert.Equal(("COMPLETED", true), (Status(holder.TaskId), holder.Foreign));
        Assert.Equal("PENDING", Status(ours.TaskId));
        Assert.Equal((1, 0, 1, 1), (_stats.Created, _stats.Completed, _stats.Active, _stats.LimitExceededAnswers));
        Assert.Throws<InvalidOperationException>(() => _book.HoldSlot(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void FailNextTasks_TwoPlanned_NextTwoTasksEndAsPlannedWithoutOutputThenTheThirdCompletes()
    {
        _book.FailNextTasks(1, "FAILED");
        _book.FailNextTasks(1, "CANCELLED");
        var outcomes = new List<(string, int)>();
        for (var i = 0; i < 3; i++)
        {
            var task = _book.Create(Spec());
            _clock.Advance(TimeSpan.FromMinutes(2));
            var written = Complete().Count;
            outcomes.Add((Status(task.TaskId), written));
        }

        Assert.Equal([("FAILED", 0), ("CANCELLED", 0), ("COMPLETED", 1)], outcomes);
        Assert.Equal((3, 1, 1, 1, 0), (_stats.Created, _stats.Failed, _stats.Cancelled, _stats.Completed, _stats.Active));
        Assert.Throws<ArgumentException>(() => _book.FailNextTasks(1, "COMPLETED"));
    }

    [Fact]
    public void Create_RunningTimeWouldPass24Hours_EndsFailedAt24HoursWithTheTimeoutMessageHoldingTheSlot()
    {
        // 20 s pending + 40 s + 10 h x 2500 events / 1000 = 25 h 1 min: past the timeout.
        var book = new ExportTaskBook(_clock, Timing with { RunningPerThousandEvents = TimeSpan.FromHours(10) }, _stats, _ingestion);
        _ingestion.Append(Group, "s", Enumerable.Range(0, 2500).Select(i => (1_000L + i, "m")));
        var task = book.Create(Spec(1_000, 10_000));
        var created = _clock.NowMillis;

        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(created + (long)TimeSpan.FromHours(24).TotalMilliseconds - 1));
        var beforeTimeout = (book.Describe(task.TaskId, null, null, null).Tasks.Single().StatusCode, book.TakeDue().Count);
        var refused = Assert.Throws<ExportTaskException>(() => book.Create(Spec()));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var atTimeout = book.TakeDue().Count;

        Assert.Equal(("RUNNING", 0), beforeTimeout);
        Assert.Equal("LimitExceededException", refused.Code);
        Assert.Equal(0, atTimeout);
        var view = book.List().Single();
        Assert.Equal(("FAILED", ExportTaskBook.TimedOutMessage, created + 86_400_000), (view.StatusCode, view.StatusMessage, view.CompletionTime));
        Assert.Equal((1, 0, 0), (_stats.Failed, _stats.Completed, _stats.Active));
    }

    [Fact]
    public void Create_RunningTimeExactly24Hours_Completes()
    {
        var book = new ExportTaskBook(_clock, new ExportTaskTiming(TimeSpan.FromMinutes(1), TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1), TimeSpan.Zero), _stats, _ingestion);
        var task = book.Create(Spec());
        _clock.Advance(TimeSpan.FromHours(24));

        var due = Assert.Single(book.TakeDue());
        book.Finish(due.TaskId, null);

        Assert.Equal(("COMPLETED", "Completed successfully"), (book.List().Single().StatusCode, book.List().Single().StatusMessage));
        Assert.Equal(task.TaskId, due.TaskId);
    }

    [Fact]
    public void FailTasksLongerThan_NoFailureTime_LongerRangesRunTheFull24HoursThenFailTimedOut()
    {
        _book.FailTasksLongerThan(TimeSpan.FromHours(2));
        var tooLong = _book.Create(Spec(0, (long)TimeSpan.FromHours(2).TotalMilliseconds));
        _clock.Advance(TimeSpan.FromHours(23));
        var afterTheUsualRunningTime = (Status(tooLong.TaskId), _book.TakeDue().Count);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_book.TakeDue());

        Assert.Equal(("RUNNING", 0), afterTheUsualRunningTime);
        var view = _book.List().Single();
        Assert.Equal(("FAILED", ExportTaskBook.TimedOutMessage, view.CreationTime + 86_400_000), (view.StatusCode, view.StatusMessage, view.CompletionTime));
        Assert.Equal((1, 0), (_stats.Failed, _stats.Active));
    }

    [Fact]
    public void FailTasksLongerThan_WithFailureTime_LongerRangesFailAfterItTheSpanItselfCompletes()
    {
        _book.FailTasksLongerThan(TimeSpan.FromHours(2), TimeSpan.FromMinutes(3));
        var outcomes = new List<(string, string, int)>();

        // Inclusive bounds: [0, 2 h - 1 ms] is exactly 2 h long; [0, 2 h] is 1 ms longer.
        foreach (var to in new[] { (long)TimeSpan.FromHours(2).TotalMilliseconds, (long)TimeSpan.FromHours(2).TotalMilliseconds - 1 })
        {
            var task = _book.Create(Spec(0, to));
            _clock.Advance(TimeSpan.FromMinutes(3));
            var written = Complete().Count;
            var view = _book.Describe(task.TaskId, null, null, null).Tasks.Single();
            outcomes.Add((view.StatusCode, view.StatusMessage, written));
        }

        Assert.Equal([("FAILED", ExportTaskBook.FailedMessage, 0), ("COMPLETED", "Completed successfully", 1)], outcomes);
        Assert.Equal((2, 1, 1, 0), (_stats.Created, _stats.Failed, _stats.Completed, _stats.Active));
    }

    [Fact]
    public void FailTasksLongerThan_TurnedOffOrCleared_LongRangesCompleteAgain()
    {
        _book.FailTasksLongerThan(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        _book.FailTasksLongerThan(null);
        var afterOff = _book.Create(Spec(0, 10_000_000));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Complete();
        _book.FailTasksLongerThan(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        _book.Clear();
        var afterClear = _book.Create(Spec(0, 10_000_000));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Complete();

        Assert.Equal("COMPLETED", Status(afterClear.TaskId));
        Assert.Equal(2, _stats.Completed);
        Assert.NotEqual(afterOff.TaskId, afterClear.TaskId);
        Assert.Throws<ArgumentOutOfRangeException>(() => _book.FailTasksLongerThan(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => _book.FailTasksLongerThan(TimeSpan.FromHours(1), TimeSpan.Zero));
    }
}
