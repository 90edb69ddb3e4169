using System.Text.Json;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Integration;
using FlowLogEvents.Tests.Support;
using FlowLogEvents.Tests.Template;

namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// A local run with the template as it was before the export role could write the export prefix: the gateway's
/// IAM evaluation answers CreateExportTask with the caller error and the verdict names it (its own moto_server).
/// </summary>
[Trait("Category", "Integration")]
[Collection(SerialLocalRuns.Name)]
public sealed class LocalRunIamIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "flowlogevents-localrun-iam-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task ShortScenario_TemplateWithoutTheExportPrefixWrite_FailsWithTheCreateExportTaskCallerDenial()
    {
        // Today's template before the fix: the export role may write the state prefix only.
        var template = RepositoryFiles.Template.DeepClone();
        var statements = template["Resources"]!["ExportFunctionRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        statements.Remove(statements.Single(s => (string?)s?["Sid"] == "WriteExports"));
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(template.ToJsonString()));
        var options = new ScenarioOptions
        {
            LogGroups = 1,
            EnisPerLogGroup = 5,
            Duration = TimeSpan.FromMinutes(10),
            RecordsPerEniPerMinute = 2,
            AggregationMinutes = 1,
            DeliveryDelay = TimeSpan.FromMinutes(2),
            Speed = 60,
            Seed = 12,
            DrainTimeout = TimeSpan.FromMinutes(30),
            OutputDirectory = _output,
            PackageDirectory = (await PublishedPackage.ForHostAsync()).Directory,
            Template = ServerlessTemplate.Parse(json),
        };

        var result = await ScenarioRunner.RunAsync(moto.Endpoint, options, null, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.StartsWith("IAM denied ", result.Failure, StringComparison.Ordinal);
        Assert.Contains("ExportFunction logs:CreateExportTask: AccessDeniedException: Please ensure that the CreateExportTask caller has been granted s3:PutObject access to the bucket.", result.Failure, StringComparison.Ordinal);
        Assert.True(result.Hosting.IamDenied > 0);
        Assert.Contains(result.Problems, p => p.StartsWith("IAM denied ExportFunction logs:CreateExportTask", StringComparison.Ordinal));
        Assert.Equal(0, result.Tasks.Created);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(result.ReportPath));
        Assert.Equal("FAIL", report.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(result.Hosting.IamDenied, report.RootElement.GetProperty("iamDenied").GetInt32());
    }
}
