using FlowLogEvents.Exports;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Tests.Verification;

public sealed class VerificationScheduleTests
{
    private static readonly DateTimeOffset Completed = DateTimeOffset.Parse("2025-11-26T15:20:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly VerificationPolicy Policy = new();

    private static Checkpoint Exported(long through) => Checkpoint.Start("/vpc/flow-logs", 1_000_000, Completed) with { ExportedThrough = through };

    private static Checkpoint OneWindow() => VerificationSchedule.Enqueue(Exported(1_999_999), 1_000_000, 1_999_999, "task-1", Completed, Policy);

    private static VerificationResult Found(VerificationOutcome outcome, long repaired = 0, long unrepaired = 0, long surplus = 0) =>
        new() { Outcome = outcome, Repaired = repaired, Unrepaired = unrepaired, Surplus = surplus };

    [Fact]
    public void Enqueue_CompletedWindow_IsDueFirstAfterAndSetsVerifiedFrom()
    {
        var checkpoint = OneWindow();

        var entry = Assert.Single(checkpoint.Verifications);
        Assert.Equal((1_000_000L, 1_999_999L, "task-1", Completed + TimeSpan.FromMinutes(5), 0), (entry.From, entry.To, entry.TaskId, entry.DueAt, entry.Checks));
        Assert.Equal(1_000_000L, checkpoint.VerifiedFrom);
        Assert.Equal((999_999L, 999_999L), (VerificationSchedule.VerifiedThrough(checkpoint), VerificationSchedule.FinalThrough(checkpoint)));
        Assert.Empty(VerificationSchedule.Due(checkpoint, Completed + TimeSpan.FromMinutes(4)));
        Assert.Single(VerificationSchedule.Due(checkpoint, Completed + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Apply_FirstCheckMatches_IsDueAgainAtTheFinalCheck()
    {
        var checkpoint = OneWindow();
        var now = Completed + TimeSpan.FromMinutes(6);

        var next = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Match), now, Policy)!;

        var entry = Assert.Single(next.Verifications);
        Assert.Equal((1, Completed + TimeSpan.FromMinutes((12 * 60) + 15), VerificationOutcome.Match), (entry.Checks, entry.DueAt, entry.LastOutcome));
        Assert.Equal((1_999_999L, 999_999L), (VerificationSchedule.VerifiedThrough(next), VerificationSchedule.FinalThrough(next)));
        Assert.Equal(now, next.UpdatedAt);
    }

    [Fact]
    public void Apply_FinalCheckWithNothingMissing_RemovesTheWindowAndCountsIt()
    {
        var checkpoint = OneWindow();
        var first = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Repaired, repaired: 3), Completed + TimeSpan.FromMinutes(6), Policy)!;

        var final = VerificationSchedule.Apply(first, first.Verifications[0], Found(VerificationOutcome.Match), Completed + Policy.FinalAfter, Policy)!;

        Assert.Empty(final.Verifications);
        Assert.Equal((1L, 3L), (final.WindowsFinal, final.RecordsRepaired));
        Assert.Equal((1_999_999L, 1_999_999L), (VerificationSchedule.VerifiedThrough(final), VerificationSchedule.FinalThrough(final)));
        Assert.Null(VerificationSchedule.NextDue(final));
    }

    [Fact]
    public void Apply_ShortfallLeftUnderRepair_IsCheckedAgainAfterRetryAfterEvenPastTheFinalCheck()
    {
        var checkpoint = OneWindow();
        var now = Completed + Policy.FinalAfter + TimeSpan.FromMinutes(1);

        var next = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Incomplete, repaired: 1, unrepaired: 2), now, Policy)!;

        var entry = Assert.Single(next.Verifications);
        Assert.Equal((now + TimeSpan.FromMinutes(5), 2L, 1L), (entry.DueAt, entry.Shortfall, entry.Repaired));
        Assert.Equal(999_999L, VerificationSchedule.VerifiedThrough(next));
    }

    [Fact]
    public void Apply_ShortfallUnderReportOnly_GoesFinalAtTheFinalCheck()
    {
        var report = Policy with { Repair = false };
        var checkpoint = OneWindow();

        var next = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Incomplete, unrepaired: 2), Completed + report.FinalAfter, report)!;

        Assert.Empty(next.Verifications);
        Assert.Equal(1L, next.WindowsFinal);
    }

    [Fact]
    public void Apply_Unverifiable_RetriesWithoutCountingACheck()
    {
        var checkpoint = OneWindow();
        var now = Completed + TimeSpan.FromMinutes(6);

        var next = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], VerificationResult.Unverifiable("query failed"), now, Policy)!;

        var entry = Assert.Single(next.Verifications);
        Assert.Equal((0, 1, now + TimeSpan.FromMinutes(5), VerificationOutcome.Unverifiable), (entry.Checks, entry.Failures, entry.DueAt, entry.LastOutcome));
    }

    [Fact]
    public void Apply_EntryChangedByAnotherRunner_ReturnsNull()
    {
        var checkpoint = OneWindow();
        var theirs = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Match), Completed + TimeSpan.FromMinutes(6), Policy)!;

        Assert.Null(VerificationSchedule.Apply(theirs, checkpoint.Verifications[0], Found(VerificationOutcome.Repaired, repaired: 1), Completed + TimeSpan.FromMinutes(7), Policy));
    }

    [Fact]
    public void Due_SeveralWindows_EarliestDueFirst()
    {
        var two = VerificationSchedule.Enqueue(OneWindow() with { ExportedThrough = 2_999_999 }, 2_000_000, 2_999_999, "task-2", Completed - TimeSpan.FromMinutes(3), Policy);

        Assert.Equal(["task-2", "task-1"], VerificationSchedule.Due(two, Completed + TimeSpan.FromHours(1)).Select(v => v.TaskId));
        Assert.Equal(Completed + TimeSpan.FromMinutes(2), VerificationSchedule.NextDue(two));
    }

    [Fact]
    public void Recheck_LateRangeInACheckedWindow_BringsItsCheckForwardAndMarksIt()
    {
        var checkpoint = OneWindow();
        var first = VerificationSchedule.Apply(checkpoint, checkpoint.Verifications[0], Found(VerificationOutcome.Match), Completed + TimeSpan.FromMinutes(6), Policy)!;
        var signalled = Completed + TimeSpan.FromMinutes(40);

        var (marked, windows) = VerificationSchedule.Recheck(first, 1_500_000, 1_600_000, signalled, Policy);

        var entry = Assert.Single(marked!.Verifications);
        Assert.Equal((1, true, signalled + TimeSpan.FromMinutes(5)), (windows, entry.Recheck, entry.DueAt));
        Assert.Equal(999_999L, VerificationSchedule.VerifiedThrough(marked));

        var rechecked = VerificationSchedule.Apply(marked, entry, Found(VerificationOutcome.Repaired, repaired: 1), signalled + TimeSpan.FromMinutes(5), Policy)!;
        Assert.Equal((false, 2, Completed + Policy.FinalAfter), (rechecked.Verifications[0].Recheck, rechecked.Verifications[0].Checks, rechecked.Verifications[0].DueAt));
    }

    [Fact]
    public void Recheck_RangeOutsideEveryWindowOrAlreadyMarked_ChangesNothing()
    {
        var checkpoint = OneWindow();
        var (marked, _) = VerificationSchedule.Recheck(checkpoint, 1_500_000, 1_500_000, Completed, Policy);

        Assert.Equal((null, 0), VerificationSchedule.Recheck(checkpoint, 2_000_000, 2_500_000, Completed, Policy));
        Assert.Equal((null, 1), VerificationSchedule.Recheck(marked!, 1_000_000, 1_000_000, Completed + TimeSpan.FromMinutes(1), Policy));
    }
}
