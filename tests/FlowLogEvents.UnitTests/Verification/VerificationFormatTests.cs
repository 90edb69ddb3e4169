using System.IO.Compression;
using FlowLogEvents.Exports;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Tests.Verification;

public sealed class VerificationFormatTests
{
    [Fact]
    public void Compare_Multisets_ReturnsMissingCopiesInOrderAndTheSurplus()
    {
        var held = new[] { new LogEventKey(2, "b"), new LogEventKey(1, "a"), new LogEventKey(1, "a"), new LogEventKey(1, "a") };
        var exported = new[] { new LogEventKey(1, "a"), new LogEventKey(3, "not held"), new LogEventKey(3, "not held") };

        var (missing, surplus) = MultisetDifference.Compare(held, exported);

        Assert.Equal([new LogEventKey(1, "a"), new LogEventKey(1, "a"), new LogEventKey(2, "b")], missing);
        Assert.Equal(2L, surplus);
    }

    [Theory]
    [InlineData("2025-11-26T14:45:01.250Z 2 123456789012 eni-a 10.0.0.1", 1_764_168_301_250L, "2 123456789012 eni-a 10.0.0.1")]
    [InlineData("2025-11-26T14:45:01.250Z ", 1_764_168_301_250L, "")]
    public void TryParse_ExportLine_ReadsTimestampAndMessage(string line, long timestamp, string message)
    {
        Assert.True(ExportLineFormat.TryParse(line, out var e));
        Assert.Equal(new LogEventKey(timestamp, message), e);
        Assert.Equal(line, ExportLineFormat.Format(e));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-11-26T14:45:01.250Z")]
    [InlineData("2025-11-26 14:45:01.250Z message")]
    [InlineData("2025-11-26T14:45:01.250Zmessage")]
    public void TryParse_NotAnExportLine_ReturnsFalse(string line) => Assert.False(ExportLineFormat.TryParse(line, out _));

    [Fact]
    public void Key_RepairOfAStream_IsBesideTheTaskFoldersWithItsFileIndex()
    {
        var key = RepairLayout.Key("flowlogevents/exports/vpc/flow-logs", 1_764_168_300_000, 1_764_169_199_999, "2026/11/26/[$LATEST]abc", 12);

        Assert.Equal("flowlogevents/exports/vpc/flow-logs/repair-1764168300000-1764169199999/2026/11/26/[$LATEST]abc/000012.gz", key);
        Assert.Equal(12, RepairLayout.FileIndex(key));
        Assert.Null(RepairLayout.FileIndex("p/repair-1-2/s/aws-logs-write-test"));
    }

    [Fact]
    public void Content_Events_IsGzipOfSortedExportLines()
    {
        var bytes = RepairLayout.Content([new LogEventKey(1_764_168_302_000, "b"), new LogEventKey(1_764_168_301_000, "a")]);

        using var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        Assert.Equal("2025-11-26T14:45:01.000Z a\n2025-11-26T14:45:02.000Z b\n", reader.ReadToEnd());
    }

    [Fact]
    public void Serialize_CheckpointAwaitingVerification_RoundTripsAndWritesTheDerivedBounds()
    {
        var completed = DateTimeOffset.Parse("2025-11-26T15:20:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var checkpoint = VerificationSchedule.Enqueue(
            Checkpoint.Start("/vpc/flow-logs", 1_764_168_300_000, completed) with { ExportedThrough = 1_764_169_199_999 },
            1_764_168_300_000,
            1_764_169_199_999,
            "task-1",
            completed,
            new VerificationPolicy()) with { RecordsRepaired = 4, WindowsFinal = 7 };
        checkpoint = checkpoint with { Verifications = new([checkpoint.Verifications[0] with { Checks = 1, Repaired = 4, Surplus = 1, Shortfall = 2, Failures = 1, LastOutcome = VerificationOutcome.Incomplete }]) };

        var json = System.Text.Encoding.UTF8.GetString(CheckpointJson.Serialize(checkpoint));
        var read = CheckpointJson.Deserialize(CheckpointJson.Serialize(checkpoint), "/vpc/flow-logs");

        Assert.Equal(checkpoint, read);
        Assert.Contains("\"verifiedThrough\": {\n    \"epochMillis\": 1764168299999", json.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"lastOutcome\": \"incomplete\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_VerificationAfterExportedThrough_ThrowsNamingIt()
    {
        var completed = DateTimeOffset.Parse("2025-11-26T15:20:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var checkpoint = VerificationSchedule.Enqueue(Checkpoint.Start("/g", 1_000, completed) with { ExportedThrough = 1_999 }, 1_000, 2_999, "task-1", completed, new VerificationPolicy());

        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointJson.Deserialize(CheckpointJson.Serialize(checkpoint), "/g"));

        Assert.Equal("checkpoint of '/g' is unreadable: checkpoint verifications[0] ends at 2999, after exportedThrough 1999: only exported windows are verified", ex.Message);
    }
}
