using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Exports;

/// <summary>The checkpoint's invariants on the type itself (CheckpointJson.Deserialize calls the same checks).</summary>
public sealed class CheckpointValidateTests
{
    private const string LogGroup = "/aws/vpc/flow-logs/prod";
    private const long Start = 1_795_600_000_000;
    private const long Through = 1_795_700_000_000;

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_999);

    private static readonly Checkpoint Valid = new()
    {
        LogGroup = LogGroup,
        StartTime = Start,
        ExportedThrough = Through,
        ExportsCompleted = 3,
        InFlight = Export(Through + 1, Through + 600_000),
        RemainingWindows = [new ExportWindow(Through + 600_001, Through + 900_000)],
        LateExports = [Export(Start, Start + 60_000) with { LogStream = null }, Export(Through - 60_000, Through) with { LogStream = "eni-1-all", IngestedBy = Through + 5 }],
        SettledLagFloorMillis = 1_260_000,
        UpdatedAt = Now,
    };

    private static InFlightExport Export(long from, long to) => new()
    {
        TaskName = $"flowlogevents-3443ccf8d927a276-{from}-{to}-1",
        From = from,
        To = to,
        Attempt = 1,
        PlannedAt = Now,
    };

    private static string Broken(Checkpoint checkpoint) => Assert.Throws<CheckpointFormatException>(checkpoint.Validate).Message;

    [Fact]
    public void Validate_CheckpointKeepingEveryInvariant_DoesNotThrow()
    {
        Valid.Validate();
        Checkpoint.Start(LogGroup, Start, Now).Validate();
    }

    [Fact]
    public void Validate_ExportedThroughBeforeStartMinusOne_Throws()
    {
        Assert.Equal(
            $"checkpoint exportedThrough {Start - 2} is before startTime {Start} - 1",
            Broken(Checkpoint.Start(LogGroup, Start, Now) with { ExportedThrough = Start - 2 }));
    }

    [Fact]
    public void Validate_NegativeExportsCompleted_Throws()
    {
        Assert.Equal("checkpoint exportsCompleted -1 is negative", Broken(Valid with { ExportsCompleted = -1 }));
    }

    [Fact]
    public void Validate_InFlightNotRightAfterExportedThrough_Throws()
    {
        Assert.Equal(
            $"checkpoint inFlight.from {Through + 2} is not exportedThrough + 1 ({Through + 1})",
            Broken(Valid with { InFlight = Export(Through + 2, Through + 600_000), RemainingWindows = [] }));
    }

    [Fact]
    public void Validate_InFlightEndingBeforeItsStart_Throws()
    {
        Assert.Equal(
            $"checkpoint inFlight.to {Through} is before inFlight.from {Through + 1}",
            Broken(Valid with { InFlight = Export(Through + 1, Through), RemainingWindows = [] }));
    }

    [Fact]
    public void Validate_InFlightAttemptZero_Throws()
    {
        Assert.Equal("checkpoint inFlight.attempt 0 is not positive", Broken(Valid with { InFlight = Valid.InFlight! with { Attempt = 0 } }));
    }

    [Fact]
    public void Validate_InFlightUnsentWithTaskId_Throws()
    {
        Assert.Equal(
            "checkpoint inFlight.unsent is true but a taskId or claimedAt is set (a claim clears it before the request is sent)",
            Broken(Valid with { InFlight = Valid.InFlight! with { Unsent = true, TaskId = "task-1" } }));
    }

    [Fact]
    public void Validate_InFlightTaskRecordedAtWithoutTaskId_Throws()
    {
        Assert.Equal(
            "checkpoint inFlight.taskRecordedAt is set without a taskId",
            Broken(Valid with { InFlight = Valid.InFlight! with { TaskRecordedAt = Now } }));
    }

    [Fact]
    public void Validate_RemainingWindowsWithNothingInFlight_Throws()
    {
        Assert.Equal("checkpoint remainingWindows is set but nothing is in flight", Broken(Valid with { InFlight = null }));
    }

    [Fact]
    public void Validate_RemainingWindowWithAGap_Throws()
    {
        Assert.Equal(
            $"checkpoint remainingWindows[0] is not contiguous (from {Through + 600_002} must be {Through + 600_001}, to {Through + 900_000} not before from)",
            Broken(Valid with { RemainingWindows = [new ExportWindow(Through + 600_002, Through + 900_000)] }));
    }

    [Fact]
    public void Validate_LateExportWithEmptyStream_Throws()
    {
        Assert.Equal(
            "checkpoint lateExports[0] is not a valid late re-export (logStream absent or not empty, to >= from, attempt >= 1)",
            Broken(Valid with { LateExports = [Export(Start, Start + 60_000) with { LogStream = string.Empty }] }));
    }

    [Fact]
    public void Validate_LateExportUnsentWithClaim_ThrowsNamingItsIndex()
    {
        Assert.Equal(
            "checkpoint lateExports[1].unsent is true but a taskId or claimedAt is set (a claim clears it before the request is sent)",
            Broken(Valid with { LateExports = [Valid.LateExports[0], Valid.LateExports[1] with { Unsent = true, ClaimedAt = Now }] }));
    }

    [Fact]
    public void Validate_StreamlessLateExportPastExportedThrough_Throws()
    {
        Assert.Equal(
            $"checkpoint lateExports[0] has no logStream but is not a range between startTime {Start} and exportedThrough {Through} (nor without ingestedBy)",
            Broken(Valid with { LateExports = [Export(Through, Through + 1) with { LogStream = null }] }));
    }

    [Fact]
    public void Validate_NegativeSettledLagFloor_Throws()
    {
        Assert.Equal("checkpoint settledLagFloorMillis -1 is negative", Broken(Valid with { SettledLagFloorMillis = -1 }));
    }
}
