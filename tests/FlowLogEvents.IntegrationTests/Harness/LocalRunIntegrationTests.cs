using System.Text.Json;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Observability;
using FlowLogEvents.Tests.Integration;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Harness;

/// <summary>A short local run of the published package as Lambda runs it (processes on the Runtime API), against moto_server and the export-task front.</summary>
[Trait("Category", "Integration")]
[Collection(SerialLocalRuns.Name)]
public sealed class LocalRunIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "flowlogevents-localrun-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task ShortScenario_EveryRecordReachesS3ExactlyOnce()
    {
        var options = new ScenarioOptions
        {
            LogGroups = 2,
            EnisPerLogGroup = 20,
            Duration = TimeSpan.FromMinutes(30),
            RecordsPerEniPerMinute = 2,
            AggregationMinutes = 10, // AWS's default
            DeliveryDelay = TimeSpan.FromMinutes(4),
            LateFraction = 0.1,
            Lateness = TimeSpan.FromMinutes(10), // inside the template's 21 min settle delay
            SilentLogGroups = 1,
            ForeignExports = 2,
            Speed = 60,
            Seed = 11,
            DrainTimeout = TimeSpan.FromMinutes(60),
            OutputDirectory = _output,
            PackageDirectory = (await PublishedPackage.ForHostAsync()).Directory,
        };

        var result = await ScenarioRunner.RunAsync(moto.Endpoint, options, null, CancellationToken.None);

        Assert.True(result.Failure is null, RunReport.Markdown(result));
        Assert.Equal(TimeSpan.FromMinutes(21), result.SettleDelay);

        // The silent log group stops after its second 10-minute interval (15 minutes of traffic, rounded up to intervals).
        Assert.Equal((20 * 30 * 2) + (20 * 20 * 2), result.GeneratedRecords);
        Assert.True(result.LateRecords > 0, "late records were generated");
        var v = result.Verification;
        Assert.Equal(result.GeneratedRecords, v.Expected);
        Assert.True((v.Missing, v.Duplicated, v.Unexpected) == (0, 0, 0), RunReport.Markdown(result));
        Assert.Equal(result.GeneratedRecords, v.Exported);

        // The silent log group was exported to its last record (the trailing edge, by continuations).
        var silent = Assert.Single(result.Groups, g => g.Silent);
        Assert.True(silent.Done);
        var silentVerdict = Assert.Single(v.LogGroups, g => g.LogGroup == silent.LogGroup);
        Assert.Equal((20 * 20 * 2, 20 * 20 * 2, 0), (silentVerdict.Expected, silentVerdict.Exported, silentVerdict.Missing));

        // Export tasks really went through PENDING and RUNNING; the single slot was contended and handled.
        Assert.True(result.Tasks.SeenPending > 0, "a task was seen PENDING");
        Assert.True(result.Tasks.SeenRunning > 0, "a task was seen RUNNING");
        Assert.True(result.Tasks.LimitExceededAnswers > 0, "CreateExportTask answered LimitExceededException");
        Assert.True(result.Counters.SlotBusyDeferrals > 0, "the export function deferred on LimitExceededException");
        Assert.Equal(result.Tasks.Created, result.Tasks.Completed);
        Assert.Equal(result.Counters.Event(LogEvents.TaskCreated), result.Tasks.Created);

        // Both collapsing layers worked: warm suppression, and FIFO deduplication across instances.
        Assert.True(result.Counters.Event(LogEvents.SignalSuppressed) > 0);
        Assert.True(result.Counters.DataSignalsReceived < result.Counters.Event(LogEvents.SignalSent));
        Assert.Equal((0, 0, 0), (result.Counters.SubscriptionsDropped, result.Counters.ExportInvocationErrors, result.DeadLetterDepthAtEnd));

        // The functions ran as processes of the package: cold starts answered through the Runtime API, no environment died.
        Assert.Equal("processes", result.Hosting.Mode);
        Assert.InRange(result.Hosting.Signal!.ColdStarts, 1, options.SignalInstances);
        Assert.Equal(1, result.Hosting.Export!.ColdStarts);
        Assert.Equal((0, 0, 0), (result.Hosting.Signal.Deaths + result.Hosting.Export.Deaths, result.Hosting.Signal.Timeouts + result.Hosting.Export.Timeouts, result.Hosting.Signal.InitErrors + result.Hosting.Export.InitErrors));
        Assert.NotNull(result.Hosting.Export.MedianToFirstResponse);

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(result.ReportPath));
        Assert.Equal("PASS", report.RootElement.GetProperty("verdict").GetString());
        Assert.True(new FileInfo(result.FunctionLogPath).Length > 0);
        Assert.True(result.Ok);
    }
}
