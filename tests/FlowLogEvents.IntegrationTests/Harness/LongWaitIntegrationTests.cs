using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Integration;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// Waits longer than Lambda's recursive loop detection lets a self-loop run (<see cref="ReliabilityMatrix.LongWaits"/>),
/// with the published package's processes: nothing missing, nothing duplicated, no loop stopped, the DLQ empty.
/// </summary>
[Trait("Category", "Integration")]
[Collection(SerialLocalRuns.Name)]
public sealed class LongWaitIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "flowlogevents-longwait-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>
    /// CI runs the slot held for 90 minutes (more than 16 laps, a few minutes real); the settle and hour-long-task
    /// waits run with the full matrix (`matrix --only "long wait"`).
    /// </summary>
    public static TheoryData<string> Scenarios() => [.. ReliabilityMatrix.LongWaits().Select(s => s.Name).Where(n => n.Contains("slot held", StringComparison.Ordinal))];

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_WaitLongerThanSixteenLaps_LosesNothingNoLoopStopped(string name)
    {
        var scenario = Assert.Single(ReliabilityMatrix.LongWaits(), s => s.Name == name);
        var options = scenario.Options with { PackageDirectory = (await PublishedPackage.ForHostAsync()).Directory, OutputDirectory = _output };

        var result = await ScenarioRunner.RunAsync(moto.Endpoint, options, null, CancellationToken.None);

        var row = MatrixRow.From(scenario, result, TimeSpan.Zero);
        var detail = ReliabilityMatrix.Markdown([row]) + "\n" + await File.ReadAllTextAsync(Path.Combine(_output, "summary.md"));
        Assert.True(row.Failure is null, detail);
        Assert.True((row.Missing, row.Duplicated, row.Unexpected) == (0, 0, 0), detail);
        Assert.True((result.Counters.RecursiveInvocationsDropped, result.DeadLetterDepthAtEnd) == (0, 0), detail);

        // The wait really was longer than Lambda lets a loop run.
        Assert.True(result.Counters.ContinuationsReceived > TraceHeader.MaxRecursiveInvocations, "more continuations than the loop limit\n" + detail);
    }
}
