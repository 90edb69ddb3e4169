using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Tests.Verification;

public sealed class WindowVerifierTests
{
    private const string Group = "/vpc/flow-logs";
    private const string Prefix = "flowlogevents/exports/vpc/flow-logs";
    private const long From = 1_764_168_300_000;
    private const long To = 1_764_169_199_999;

    private static readonly PendingVerification Window = new()
    {
        From = From,
        To = To,
        TaskId = "0f2c9a6e-4d8b-4c1e-9d7a-3b5f1e2a7c90",
        CompletedAt = DateTimeOffset.FromUnixTimeMilliseconds(To + 1_260_000),
        DueAt = DateTimeOffset.FromUnixTimeMilliseconds(To + 1_560_000),
    };

    private readonly FakeLogEventSource _logs = new();
    private readonly InMemoryExportedObjects _exports = new();

    private static LogEventKey E(long offsetSeconds, string message) => new(From + (offsetSeconds * 1000), message);

    private static string TaskKey(string stream) => $"{Prefix}/{Window.TaskId}/{stream}/000000.gz";

    private static string RepairKey(string stream, int index = 0) => $"{Prefix}/repair-{From}-{To}/{stream}/{index:D6}.gz";

    private Task<VerificationResult> VerifyAsync(bool repair = true) => new WindowVerifier(_logs, _exports).VerifyAsync(Group, Prefix, Window, repair, CancellationToken.None);

    [Fact]
    public async Task VerifyAsync_EveryStreamExported_MatchesAndWritesNothing()
    {
        _logs.Add("eni-a-all", E(1, "2 1 eni-a 10.0.0.1 10.0.0.2 443 5000 6 1 40 ACCEPT OK"), E(2, "x"));
        _logs.Add("eni-b-all", E(3, "y"));
        _exports.PutExport(TaskKey("eni-a-all"), E(2, "x"), E(1, "2 1 eni-a 10.0.0.1 10.0.0.2 443 5000 6 1 40 ACCEPT OK"));
        _exports.PutExport(TaskKey("eni-b-all"), E(3, "y"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Match, 3L, 3L, 0L, 0L, 0L, 2, 0), (result.Outcome, result.Held, result.Exported, result.Missing, result.Repaired, result.Surplus, result.ObjectsRead, result.ObjectsWritten));
        Assert.Empty(result.Streams);
        Assert.Equal(0, _logs.Reads);
        Assert.Equal(2, _exports.Objects.Count);
    }

    [Fact]
    public async Task VerifyAsync_StreamShortWithADuplicateEvent_WritesExactlyTheMissingCopies()
    {
        // The same record twice in CloudWatch Logs (two deliveries) is two events; the export held one of them.
        _logs.Add("eni-a-all", E(1, "dup"), E(1, "dup"), E(2, "kept"), E(5, "late"));
        _exports.PutExport(TaskKey("eni-a-all"), E(2, "kept"), E(1, "dup"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Repaired, 4L, 2L, 2L, 2L, 0L, 0L, 1), (result.Outcome, result.Held, result.Exported, result.Missing, result.Repaired, result.Surplus, result.Unrepaired, result.ObjectsWritten));
        Assert.Equal(
            ["2025-11-26T14:45:01.000Z dup", "2025-11-26T14:45:05.000Z late"],
            _exports.LinesOf(RepairKey("eni-a-all")));
        Assert.Equal([new StreamFinding("eni-a-all", 4, 2, 2, 0)], result.Streams);
    }

    [Fact]
    public async Task VerifyAsync_StreamMissingFromTheExport_WritesItWholeUnderItsName()
    {
        _logs.Add("eni-a-all", E(1, "a"));
        _logs.Add("eni-b-all", E(7, "b1"), E(8, "b2"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));

        var result = await VerifyAsync();

        Assert.Equal((2L, 2L), (result.Missing, result.Repaired));
        Assert.Equal(["2025-11-26T14:45:07.000Z b1", "2025-11-26T14:45:08.000Z b2"], _exports.LinesOf(RepairKey("eni-b-all")));
    }

    [Fact]
    public async Task VerifyAsync_SecondRunAfterARepair_CountsTheRepairAndWritesNothing()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "b"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));
        await VerifyAsync();

        var again = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Match, 2L, 0L, 1), (again.Outcome, again.Exported, again.Repaired, _exports.Creates));
    }

    [Fact]
    public async Task VerifyAsync_MoreMissingLaterAfterARepair_WritesTheNextFileOnly()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "b"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));
        await VerifyAsync();
        _logs.Add("eni-a-all", E(3, "arrived after the first check"));

        var again = await VerifyAsync();

        Assert.Equal(1L, again.Repaired);
        Assert.Equal(["2025-11-26T14:45:02.000Z b"], _exports.LinesOf(RepairKey("eni-a-all", 0)));
        Assert.Equal(["2025-11-26T14:45:03.000Z arrived after the first check"], _exports.LinesOf(RepairKey("eni-a-all", 1)));
    }

    [Fact]
    public async Task VerifyAsync_ASecondRunnerWritesTheRepairFirst_WritesNoSecondCopy()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "b"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));
        _exports.BeforeNextCreate = () => _exports.PutExport(RepairKey("eni-a-all"), E(2, "b"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Match, 0L, 0L, 1, 0), (result.Outcome, result.Repaired, result.Unrepaired, _exports.RefusedCreates, _exports.Creates));
        Assert.Equal(["2025-11-26T14:45:02.000Z b"], _exports.LinesOf(RepairKey("eni-a-all")));
        Assert.Equal(2, _exports.Objects.Count);
    }

    [Fact]
    public async Task VerifyAsync_ExportHoldsMoreThanCloudWatchLogs_ReportsTheSurplusAndDeletesNothing()
    {
        _logs.Add("eni-a-all", E(1, "a"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"), E(1, "a"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Match, 1L, 0L), (result.Outcome, result.Surplus, result.Repaired));
        Assert.Equal([new StreamFinding("eni-a-all", 1, 2, 0, 0)], result.Streams);
        Assert.Equal(2, _exports.LinesOf(TaskKey("eni-a-all")).Count);
    }

    [Fact]
    public async Task VerifyAsync_ReadLagsBehindTheCount_RepairsWhatItSeesAndLeavesTheRestUnrepaired()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "b"), E(3, "c"));
        _logs.HiddenFromReads.Add(E(3, "c"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Incomplete, 2L, 1L, 1L), (result.Outcome, result.Missing, result.Repaired, result.Unrepaired));
    }

    [Fact]
    public async Task VerifyAsync_ReportOnly_CountsTheShortfallAndWritesNothing()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "b"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));

        var result = await VerifyAsync(repair: false);

        Assert.Equal((VerificationOutcome.Incomplete, 1L, 0L, 1L, 0), (result.Outcome, result.Missing, result.Repaired, result.Unrepaired, _logs.Reads));
        Assert.Single(_exports.Objects);
    }

    [Fact]
    public async Task VerifyAsync_MessageWithALineBreak_IsNotWrittenAndStaysUnrepaired()
    {
        _logs.Add("eni-a-all", E(1, "a"), E(2, "first line\nsecond line"));
        _exports.PutExport(TaskKey("eni-a-all"), E(1, "a"));

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Incomplete, 0L, 1L), (result.Outcome, result.Repaired, result.Unrepaired));
        Assert.Single(_exports.Objects);
    }

    [Fact]
    public async Task VerifyAsync_CountCutAtTheRowLimit_IsUnverifiableAndReadsNoObject()
    {
        _logs.Add("eni-a-all", E(1, "a"));
        _logs.Truncated = true;

        var result = await VerifyAsync();

        Assert.Equal(VerificationOutcome.Unverifiable, result.Outcome);
        Assert.Equal($"CloudWatch Logs' count of [{From}, {To}] was cut at the query's row limit (too many log streams to count in one query)", result.Error);
        Assert.Equal(0, result.ObjectsRead);
    }

    [Fact]
    public async Task VerifyAsync_QueryFails_IsUnverifiableWithTheSourcesMessage()
    {
        _logs.FailNextCount = new VerificationSourceException("Logs Insights query q-1 of '/vpc/flow-logs' ended Failed");

        var result = await VerifyAsync();

        Assert.Equal((VerificationOutcome.Unverifiable, "Logs Insights query q-1 of '/vpc/flow-logs' ended Failed"), (result.Outcome, result.Error));
    }
}
