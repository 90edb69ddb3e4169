using FlowLogEvents.Local.Harness;
using FlowLogEvents.Tests.Integration;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// The CI subset of the reliability matrix (<c>dotnet run --project src/FlowLogEvents.Local -c Release -- matrix --quick</c>):
/// the published package's processes under injected faults (crash points are process kills), at reduced sizes, with records
/// late beyond the settle delay and a 30-minute availability lag. Fails on any missing record, any duplicate, or any
/// unexpected line; nothing is explained by policy (LATE_EVENTS is the default, repair).
/// </summary>
[Trait("Category", "Integration")]
[Collection(SerialLocalRuns.Name)]
public sealed class ReliabilityIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "flowlogevents-reliability-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The crash scenarios of the CI subset (the late-record and large-window ones have their own tests).</summary>
    public static TheoryData<string> Scenarios() => [.. ReliabilityMatrix.Quick().Where(s => s.Options.Faults.CrashAt.Count > 0).Select(s => s.Name)];

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_LosesNothing_DuplicatesNothing(string name)
    {
        var scenario = await AsProcessesAsync(Assert.Single(ReliabilityMatrix.Quick(), s => s.Name == name));

        var rows = await ReliabilityMatrix.RunAsync(moto.Endpoint, [scenario], _output, null, CancellationToken.None);

        var row = Assert.Single(rows);
        var detail = ReliabilityMatrix.Markdown(rows) + "\n" + await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(row.ReportPath)!, "summary.md"));
        Assert.True(row.Failure is null, detail);
        Assert.True((row.Missing, row.MissingExplained, row.Duplicated - row.DuplicatedExplained, row.Unexpected) == (0, 0, 0, 0), detail);
        Assert.Equal(row.Generated, row.Exported - row.Duplicated);

        // The faults really happened.
        Assert.True(row.Crashes > 0, "a process died at a crash point\n" + detail);
        Assert.True(row.EsmRedeliveries > 0, "the event source mapping redelivered records\n" + detail);
    }

    [Fact]
    public async Task LateBeyondSettle_Repair_ExportsEveryRecordOnceRepairingWhatTheExportsMissed()
    {
        var scenario = await AsProcessesAsync(Assert.Single(ReliabilityMatrix.Quick(), s => s.Name == "late beyond settle, repaired"));

        var rows = await ReliabilityMatrix.RunAsync(moto.Endpoint, [scenario], _output, null, CancellationToken.None);

        var row = Assert.Single(rows);
        var detail = ReliabilityMatrix.Markdown(rows) + "\n" + await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(row.ReportPath)!, "summary.md"));
        Assert.True(row.Failure is null, detail);
        Assert.True(row.IngestedLate > 0, "records arrived later than the settle delay\n" + detail);

        // Every record is exported once, the late ones and those the tasks missed included, with nothing explained by policy.
        Assert.True((row.Missing, row.MissingExplained, row.Duplicated, row.DuplicatedExplained, row.Unexpected) == (0, 0, 0, 0, 0), detail);
        Assert.Equal(row.Generated, row.Exported);
        Assert.True(row.Repaired > 0, "the verification repaired records the exports missed\n" + detail);
    }

    [Fact]
    public async Task LargeWindowsFail_WindowsAreSplit_ExportsEveryRecordOnce()
    {
        var scenario = await AsProcessesAsync(Assert.Single(ReliabilityMatrix.Quick(), s => s.Name == ReliabilityMatrix.LargeWindowsFailName));

        var rows = await ReliabilityMatrix.RunAsync(moto.Endpoint, [scenario], _output, null, CancellationToken.None);

        var row = Assert.Single(rows);
        var detail = ReliabilityMatrix.Markdown(rows) + "\n" + await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(row.ReportPath)!, "summary.md"));
        Assert.True(row.Failure is null, detail);
        Assert.True((row.Missing, row.Duplicated, row.Unexpected) == (0, 0, 0), detail);
        Assert.Equal(row.Generated, row.Exported);

        // Large windows really failed.
        Assert.True(row.FailedTasks > 0, "export tasks longer than 2 h failed\n" + detail);
    }

    private static async Task<MatrixScenario> AsProcessesAsync(MatrixScenario scenario) =>
        scenario with { Options = scenario.Options with { PackageDirectory = (await PublishedPackage.ForHostAsync()).Directory } };
}
