using System.Text;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Exports;

public sealed class CheckpointJsonTests
{
    private const string LogGroup = "/aws/vpc/flow-logs/prod";

    private static readonly Checkpoint Full = new()
    {
        LogGroup = LogGroup,
        StartTime = 1_795_600_000_000,
        ExportedThrough = 1_795_700_000_000,
        ExportsCompleted = 12,
        InFlight = new InFlightExport
        {
            TaskName = "flowlogevents-3443ccf8d927a276-1795700000001-1795704300000-2",
            From = 1_795_700_000_001,
            To = 1_795_704_300_000,
            Attempt = 2,
            PlannedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_123),
            TaskId = "7c9d2e4f-0000-4a1b-9c3d-1234567890ab",
            TaskRecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_789),
            ClaimedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_456),
        },
        LastCompleted = new CompletedExport("task-0011", "flowlogevents-x-1-2-1", 1_795_690_000_000, 1_795_700_000_000, DateTimeOffset.FromUnixTimeMilliseconds(1_795_701_000_789), DateTimeOffset.FromUnixTimeMilliseconds(1_795_700_900_321)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_999),
    };

    [Fact]
    public void Deserialize_SerializedCheckpointWithAllFields_RoundTripsExactly()
    {
        Assert.Equal(Full, CheckpointJson.Deserialize(CheckpointJson.Serialize(Full), LogGroup));
    }

    [Fact]
    public void Deserialize_SerializedSplitUnderWay_RoundTripsTheRemainingWindows()
    {
        var split = Full with
        {
            RemainingWindows = [new ExportWindow(1_795_704_300_001, 1_795_706_000_000), new ExportWindow(1_795_706_000_001, 1_795_708_000_000)],
        };

        var json = CheckpointJson.Serialize(split);

        Assert.Equal(split, CheckpointJson.Deserialize(json, LogGroup));
        Assert.Contains("\"remainingWindows\": [", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_CheckpointWrittenBeforeSplitting_ReadsWithNoRemainingWindows()
    {
        // A checkpoint as the previous version wrote it: no remainingWindows field.
        const string old = """
            {
              "schemaVersion": 1,
              "logGroup": "/aws/vpc/flow-logs/prod",
              "startTime": { "epochMillis": 1795600000000, "utc": "2026-11-25T07:06:40.000Z" },
              "exportedThrough": { "epochMillis": 1795700000000, "utc": "2026-11-26T13:33:20.000Z" },
              "exportsCompleted": 12,
              "inFlight": {
                "taskName": "flowlogevents-3443ccf8d927a276-1795700000001-1795704300000-3",
                "from": { "epochMillis": 1795700000001, "utc": "2026-11-26T13:33:20.001Z" },
                "to": { "epochMillis": 1795704300000, "utc": "2026-11-26T14:45:00.000Z" },
                "attempt": 3,
                "plannedAt": "2026-11-26T15:00:00.123Z"
              },
              "updatedAt": "2026-11-26T15:00:00.999Z"
            }
            """;

        var read = CheckpointJson.Deserialize(Encoding.UTF8.GetBytes(old), LogGroup);

        Assert.Empty(read.RemainingWindows);
        Assert.Equal((1_795_700_000_001, 1_795_704_300_000, 3), (read.InFlight!.From, read.InFlight.To, read.InFlight.Attempt));
        Assert.Equal((false, null), (read.InFlight.Unsent, read.InFlight.TaskRecordedAt)); // may have been sent: searched by name
        Assert.DoesNotContain("remainingWindows", Encoding.UTF8.GetString(CheckpointJson.Serialize(read)), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RemainingWindowOverlapsTheWindowInFlight_ThrowsCheckpointFormat()
    {
        var overlapping = Full with { RemainingWindows = [new ExportWindow(1_795_704_300_000, 1_795_706_000_000)] };

        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(CheckpointJson.Serialize(overlapping), LogGroup));

        Assert.Equal("checkpoint of '/aws/vpc/flow-logs/prod' is unreadable: checkpoint remainingWindows[0] is not contiguous (from 1795704300000 must be 1795704300001, to 1795706000000 not before from)", ex.Message);
    }

    [Fact]
    public void Deserialize_SerializedUnsentWindowAndLateRange_RoundTripsTheFlag()
    {
        var unsent = Full with
        {
            InFlight = Full.InFlight! with { TaskId = null, TaskRecordedAt = null, ClaimedAt = null, Unsent = true },
            LateExports = [new InFlightExport { LogStream = "eni-1-all", TaskName = "flowlogevents-late", From = 1_795_690_000_000, To = 1_795_690_060_000, Attempt = 1, PlannedAt = Full.UpdatedAt, Unsent = true }],
        };

        var json = CheckpointJson.Serialize(unsent);

        Assert.Equal(unsent, CheckpointJson.Deserialize(json, LogGroup));
        Assert.Equal(2, Encoding.UTF8.GetString(json).Split("\"unsent\": true").Length - 1);
    }

    [Theory]
    [InlineData(true, false, "checkpoint inFlight.unsent is true but a taskId or claimedAt is set (a claim clears it before the request is sent)")]
    [InlineData(false, true, "checkpoint inFlight.taskRecordedAt is set without a taskId")]
    public void Deserialize_SentFieldsContradictEachOther_ThrowsCheckpointFormat(bool unsentWithClaim, bool recordedWithoutId, string problem)
    {
        var inFlight = Full.InFlight! with
        {
            Unsent = unsentWithClaim,
            TaskId = recordedWithoutId ? null : Full.InFlight!.TaskId,
            ClaimedAt = recordedWithoutId ? null : Full.InFlight!.ClaimedAt,
        };

        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(CheckpointJson.Serialize(Full with { InFlight = inFlight }), LogGroup));

        Assert.Equal($"checkpoint of '{LogGroup}' is unreadable: {problem}", ex.Message);
    }

    [Fact]
    public void Deserialize_CheckpointWithoutSettleFloorTurnOrIngestionBound_ReadsThemAsAbsent()
    {
        var read = CheckpointJson.Deserialize(CheckpointJson.Serialize(Full), LogGroup);

        Assert.Equal(((long?)null, (ExportKind?)null, (long?)null), (read.SettledLagFloorMillis, read.LastTaskEnded, read.InFlight!.IngestedBy));
        var json = Encoding.UTF8.GetString(CheckpointJson.Serialize(read));
        Assert.DoesNotContain("settledLagFloorMillis", json, StringComparison.Ordinal);
        Assert.DoesNotContain("lastTaskEnded", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RangeBeforeTheStartOutsideStartAndExportedThrough_ThrowsCheckpointFormat()
    {
        var outside = Full with
        {
            LateExports = [new InFlightExport { TaskName = "n", From = Full.StartTime - 1, To = Full.StartTime + 1000, Attempt = 1, PlannedAt = Full.UpdatedAt }],
        };

        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(CheckpointJson.Serialize(outside), LogGroup));

        Assert.Equal("checkpoint of '/aws/vpc/flow-logs/prod' is unreadable: checkpoint lateExports[0] has no logStream but is not a range between startTime 1795600000000 and exportedThrough 1795700000000 (nor without ingestedBy)", ex.Message);
    }

    [Fact]
    public void Deserialize_UnknownLastTaskEnded_ThrowsCheckpointFormat()
    {
        var json = Encoding.UTF8.GetString(CheckpointJson.Serialize(Full with { LastTaskEnded = ExportKind.Late })).Replace("\"lastTaskEnded\": \"late\"", "\"lastTaskEnded\": \"both\"", StringComparison.Ordinal);

        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(Encoding.UTF8.GetBytes(json), LogGroup));

        Assert.Equal("checkpoint of '/aws/vpc/flow-logs/prod' is unreadable: checkpoint field 'lastTaskEnded' is 'both', not 'regular' or 'late'", ex.Message);
    }

    [Fact]
    public void Deserialize_SerializedStartCheckpoint_RoundTripsWithoutOptionalObjects()
    {
        var start = Checkpoint.Start(LogGroup, 1_795_600_000_000, DateTimeOffset.FromUnixTimeMilliseconds(1_795_705_200_000));

        var read = CheckpointJson.Deserialize(CheckpointJson.Serialize(start), LogGroup);

        Assert.Equal(start, read);
        Assert.Equal(1_795_599_999_999, read.ExportedThrough);
    }

    [Fact]
    public void Serialize_Instant_WritesEpochMillisAndIsoUtc()
    {
        var json = Encoding.UTF8.GetString(CheckpointJson.Serialize(Full));

        Assert.Contains("\"epochMillis\": 1795700000000", json, StringComparison.Ordinal);
        Assert.Contains("\"utc\": \"2026-11-26T13:33:20.000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_OtherLogGroup_ThrowsCheckpointFormat()
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(CheckpointJson.Serialize(Full), "/aws/vpc/flow-logs/dev"));

        Assert.Equal($"checkpoint of '/aws/vpc/flow-logs/dev' is unreadable: checkpoint belongs to log group '{LogGroup}', not '/aws/vpc/flow-logs/dev'", ex.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":2,\"logGroup\":\"/aws/vpc/flow-logs/prod\"}")]
    [InlineData("{\"schemaVersion\":1,\"logGroup\":\"/aws/vpc/flow-logs/prod\"}")]
    public void Deserialize_UnreadableObject_ThrowsCheckpointFormat(string json)
    {
        Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(Encoding.UTF8.GetBytes(json), LogGroup));
    }
}
