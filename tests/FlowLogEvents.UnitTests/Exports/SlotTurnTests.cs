using FlowLogEvents.Exports;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Exports;

/// <summary>Regular windows and queued late exports take turns at the account's single export slot.</summary>
public sealed class SlotTurnTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(T0);

    private static InFlightExport Window(string? taskId = null, DateTimeOffset? claimedAt = null) => new()
    {
        TaskName = TaskName(T0 - Hour + 1, T0 - (15 * Minute), 1),
        From = T0 - Hour + 1,
        To = T0 - (15 * Minute),
        Attempt = 1,
        PlannedAt = Now,
        TaskId = taskId,
        ClaimedAt = claimedAt,
    };

    private static InFlightExport Late(string? taskId = null, DateTimeOffset? claimedAt = null) => new()
    {
        LogStream = "eni-0a1b2c3d4e5f6000a-all",
        TaskName = "flowlogevents-late",
        From = T0 - (70 * Minute),
        To = T0 - (65 * Minute),
        Attempt = 1,
        PlannedAt = Now,
        TaskId = taskId,
        ClaimedAt = claimedAt,
        IngestedBy = T0,
    };

    [Theory]
    [InlineData(null)]
    [InlineData(ExportKind.Regular)]
    [InlineData(ExportKind.Late)]
    public void Next_NothingQueued_Regular(ExportKind? lastEnded) =>
        Assert.Equal(ExportKind.Regular, SlotTurn.Next(null, null, windowReady: true, lastEnded));

    [Fact]
    public void Next_RegularTaskCreatedAndLateTurn_RegularUntilItEnds() =>
        Assert.Equal(ExportKind.Regular, SlotTurn.Next(Window(taskId: "task-0001"), Late(), windowReady: false, ExportKind.Regular));

    [Fact]
    public void Next_RegularWindowClaimedAndLateTurn_RegularUntilItEnds() =>
        Assert.Equal(ExportKind.Regular, SlotTurn.Next(Window(claimedAt: Now), Late(), windowReady: false, ExportKind.Regular));

    [Fact]
    public void Next_LateTaskCreatedAndRegularTurn_LateUntilItEnds() =>
        Assert.Equal(ExportKind.Late, SlotTurn.Next(null, Late(taskId: "task-0002"), windowReady: true, ExportKind.Late));

    [Fact]
    public void Next_LateClaimedAndARegularWindowPlannedNotClaimed_LateUntilItEnds() =>
        Assert.Equal(ExportKind.Late, SlotTurn.Next(Window(), Late(claimedAt: Now), windowReady: false, ExportKind.Late));

    [Fact]
    public void Next_NoRegularWindowReady_Late() =>
        Assert.Equal(ExportKind.Late, SlotTurn.Next(null, Late(), windowReady: false, ExportKind.Late));

    [Theory]
    [InlineData(null, ExportKind.Regular)]
    [InlineData(ExportKind.Late, ExportKind.Regular)]
    [InlineData(ExportKind.Regular, ExportKind.Late)]
    public void Next_BothReadyToPlan_TheKindThatDidNotEndLast(ExportKind? lastEnded, ExportKind next) =>
        Assert.Equal(next, SlotTurn.Next(null, Late(), windowReady: true, lastEnded));

    [Theory]
    [InlineData(ExportKind.Late, ExportKind.Regular)]
    [InlineData(ExportKind.Regular, ExportKind.Late)]
    public void Next_RegularRetryRecordedNotClaimed_TakesTurnsWithTheLateQueue(ExportKind lastEnded, ExportKind next) =>
        Assert.Equal(next, SlotTurn.Next(Window() with { Attempt = 2 }, Late(), windowReady: false, lastEnded));

    [Fact]
    public void Next_AFloodOfLateRangesWithRegularWindowsAlwaysReady_EveryOtherTaskIsRegular()
    {
        // Ten late ranges and a backlog of regular windows: the turns alternate, starting with the regular window.
        var lastEnded = (ExportKind?)null;
        var turns = new List<ExportKind>();
        for (var i = 0; i < 10; i++)
        {
            var next = SlotTurn.Next(null, Late(), windowReady: true, lastEnded);
            turns.Add(next);
            lastEnded = next;
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? ExportKind.Regular : ExportKind.Late), turns);
    }
}
