using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Alarms and the dashboard watch metrics the code really emits, with the dimensions it emits them
/// with (derived from the sources: every <c>.Metric("Name", ...)</c> call and its extra dimensions).
/// </summary>
public sealed partial class TemplateAlarmTests
{
    private static readonly Lazy<Dictionary<string, SortedSet<string>>> Emitted = new(() =>
    {
        var emitted = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match call in MetricCall().Matches(File.ReadAllText(file)))
            {
                var dimensions = new SortedSet<string>(StringComparer.Ordinal) { "Function" };
                foreach (Match dimension in DimensionArgument().Matches(call.Groups["rest"].Value))
                {
                    dimensions.Add(dimension.Groups["name"].Value);
                }

                emitted[call.Groups["name"].Success ? call.Groups["name"].Value : MetricNameOf(call.Groups["constant"].Value)] = dimensions;
            }
        }

        return emitted;
    });

    [Fact]
    public void Emitted_Sources_FindTheMetricsTheOperationsGuideDocuments()
    {
        Assert.Equal(["Function", "LogGroup"], Emitted.Value[MetricNames.ExportLag]);
        Assert.Equal(["Function", "LogGroup"], Emitted.Value[MetricNames.LateSignals]);
        Assert.Equal(["Function", "LogGroup"], Emitted.Value[MetricNames.LateSignalsRechecked]);
        Assert.Equal(["Function"], Emitted.Value[MetricNames.ExportsFailed]);
        Assert.Equal(["Function"], Emitted.Value[MetricNames.ExportWindowsSplit]);
        Assert.Equal(["Function"], Emitted.Value[MetricNames.ExportWindowFloorFailures]);
        Assert.Equal(33, Emitted.Value.Count);
        Assert.Equal(MetricNameConstants().Order(StringComparer.Ordinal), Emitted.Value.Keys.Order(StringComparer.Ordinal));

        // Every metric the code emits is documented in the Observability section of docs/operations.md.
        var guide = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "operations.md"));
        var start = guide.IndexOf("\n## Observability\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md has no '## Observability' section");
        var end = guide.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var observability = end < 0 ? guide[start..] : guide[start..end];
        Assert.All(Emitted.Value.Keys, name => Assert.Contains($"`{name}`", observability, StringComparison.Ordinal));
    }

    [Fact]
    public void Alarms_EveryFlowLogEventsMetric_IsEmittedByTheCodeWithThoseDimensions()
    {
        var checkedMetrics = 0;
        foreach (var id in RepositoryFiles.ResourcesOfType("AWS::CloudWatch::Alarm"))
        {
            var properties = RepositoryFiles.Properties(id);
            foreach (var metric in properties["Metrics"]?.AsArray().Select(m => m!["MetricStat"]?["Metric"]).OfType<JsonNode>() ?? [])
            {
                if ((string?)metric["Namespace"] != Telemetry.MetricsNamespace)
                {
                    continue;
                }

                var name = (string)metric["MetricName"]!;
                Assert.Contains(name, MetricNameConstants());
                var dimensions = metric["Dimensions"]!.AsArray().Select(d => (string)d!["Name"]!).Order(StringComparer.Ordinal);
                Assert.True(Emitted.Value.ContainsKey(name), $"{id}: {name} is not emitted by the code");
                Assert.Equal(Emitted.Value[name], dimensions);
                checkedMetrics++;
            }

            foreach (var expression in properties["Metrics"]?.AsArray().Select(m => (string?)m!["Expression"]).OfType<string>() ?? [])
            {
                if (MetricsInsights().Match(expression) is { Success: true } query)
                {
                    Assert.Equal(Telemetry.MetricsNamespace, query.Groups["ns"].Value);
                    Assert.Equal(Emitted.Value[query.Groups["name"].Value], query.Groups["dims"].Value.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
                    checkedMetrics++;
                }
            }
        }

        Assert.Equal(12, checkedMetrics);
    }

    [Fact]
    public void Dashboard_EveryFlowLogEventsMetric_IsEmittedByTheCodeWithThoseDimensions()
    {
        var body = JsonNode.Parse((string)RepositoryFiles.Properties("Dashboard")["DashboardBody"]!["Fn::Sub"]![0]!)!;
        var rows = body["widgets"]!.AsArray()
            .SelectMany(w => w!["properties"]!["metrics"]?.AsArray() ?? [])
            .Select(r => r!.AsArray())
            .Where(r => r[0] is JsonValue v && (string?)v == Telemetry.MetricsNamespace)
            .ToList();

        Assert.True(rows.Count >= 10, $"only {rows.Count} FlowLogEvents metrics on the dashboard");
        foreach (var row in rows)
        {
            var name = (string)row[1]!;
            var dimensions = row.Skip(2).Where((_, i) => i % 2 == 0).OfType<JsonValue>().Select(v => (string)v!).Order(StringComparer.Ordinal);
            Assert.True(Emitted.Value.ContainsKey(name), $"dashboard: {name} is not emitted by the code");
            Assert.Equal(Emitted.Value[name], dimensions);
        }
    }

    [Theory]
    [InlineData("DeadLetterQueueNotEmptyAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible")]
    [InlineData("SignalQueueAgeAlarm", "AWS/SQS", "ApproximateAgeOfOldestMessage")]
    [InlineData("SignalFunctionErrorsAlarm", "AWS/Lambda", "Errors")]
    [InlineData("SignalFunctionThrottlesAlarm", "AWS/Lambda", "Throttles")]
    [InlineData("ExportFunctionThrottlesAlarm", "AWS/Lambda", "Throttles")]
    public void SingleMetricAlarm_Watches(string id, string ns, string metric)
    {
        var properties = RepositoryFiles.Properties(id);

        Assert.Equal(ns, (string?)properties["Namespace"]);
        Assert.Equal(metric, (string?)properties["MetricName"]);
        Assert.Equal("GreaterThanThreshold", (string?)properties["ComparisonOperator"]);
    }

    [Theory]
    [InlineData("ExportFailuresAlarm", "FILL(failed, 0) + FILL(rejected, 0)", MetricNames.ExportsFailed + "," + MetricNames.ExportsRejected)]
    [InlineData("ExportFunctionErrorsAlarm", "FILL(errors, 0) + FILL(itemFailures, 0)", MetricNames.BatchItemFailures + ",Errors")]
    [InlineData("CheckpointUnusableAlarm", "FILL(quarantined, 0) + FILL(missing, 0)", MetricNames.CheckpointsMissing + "," + MetricNames.CheckpointsQuarantined)]
    [InlineData("ExportStalledAlarm", "IF(FILL(sent, 0) > 0 AND FILL(completed, 0) == 0, 1, 0)", MetricNames.ExportsCompleted + "," + MetricNames.SignalsSent)]
    [InlineData("RecursiveLoopStoppedAlarm", "FILL(signal, 0) + FILL(export, 0)", "RecursiveInvocationsDropped,RecursiveInvocationsDropped")]
    public void MetricMathAlarm_Adds(string id, string expression, string metrics)
    {
        var queries = RepositoryFiles.Properties(id)["Metrics"]!.AsArray();

        Assert.Equal(expression, (string?)Assert.Single(queries, q => (bool)q!["ReturnData"]!)!["Expression"]);
        Assert.Equal(metrics.Split(','), queries.Select(q => (string?)q!["MetricStat"]?["Metric"]?["MetricName"]).OfType<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExportWindowStuckAlarm_AnyFloorFailureIn5Minutes_Alarms()
    {
        var properties = RepositoryFiles.Properties("ExportWindowStuckAlarm");
        var query = Assert.Single(properties["Metrics"]!.AsArray());

        Assert.Equal(MetricNames.ExportWindowFloorFailures, (string?)query!["MetricStat"]!["Metric"]!["MetricName"]);
        Assert.True((bool)query["ReturnData"]!);
        Assert.Equal(("Sum", 300), ((string?)query["MetricStat"]!["Stat"], (int)query["MetricStat"]!["Period"]!));
        Assert.Equal(("GreaterThanThreshold", 0, "notBreaching"), ((string?)properties["ComparisonOperator"], (int)properties["Threshold"]!, (string?)properties["TreatMissingData"]));
    }

    [Fact]
    public void Alarms_Every_NotifiesTheOptionalTopicAndIsOnTheDashboard()
    {
        var alarms = RepositoryFiles.ResourcesOfType("AWS::CloudWatch::Alarm");
        var body = (string)RepositoryFiles.Properties("Dashboard")["DashboardBody"]!["Fn::Sub"]![0]!;

        Assert.Equal(15, alarms.Count);
        Assert.All(alarms, id =>
        {
            var properties = RepositoryFiles.Properties(id);
            Assert.Equal("""{"Fn::If":["HasAlarmEmail",[{"Ref":"AlarmTopic"}],{"Ref":"AWS::NoValue"}]}""", properties["AlarmActions"]!.ToJsonString());
            Assert.Equal(properties["AlarmActions"]!.ToJsonString(), properties["OKActions"]!.ToJsonString());
            Assert.Contains("${" + id + ".Arn}", body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void RecursiveLoopStoppedAlarm_Metrics_RecursiveInvocationsDroppedOfBothFunctions()
    {
        var properties = RepositoryFiles.Properties("RecursiveLoopStoppedAlarm");
        var metrics = properties["Metrics"]!.AsArray().Select(q => q!["MetricStat"]?["Metric"]).OfType<JsonNode>().ToList();

        Assert.All(metrics, m => Assert.Equal(("AWS/Lambda", "RecursiveInvocationsDropped"), ((string?)m["Namespace"], (string?)m["MetricName"])));
        Assert.Equal(
            ["""{"Name":"FunctionName","Value":{"Ref":"SignalFunction"}}""", """{"Name":"FunctionName","Value":{"Ref":"ExportFunction"}}"""],
            metrics.Select(m => Assert.Single(m["Dimensions"]!.AsArray())!.ToJsonString()));
        Assert.Equal(("GreaterThanThreshold", 0d, "notBreaching"), ((string?)properties["ComparisonOperator"], (double)properties["Threshold"]!, (string?)properties["TreatMissingData"]));
        Assert.Equal("""{"Fn::Sub":"${AWS::StackName}-recursive-loop-stopped"}""", properties["AlarmName"]!.ToJsonString());
    }

    /// <summary>A literal name or a <see cref="MetricNames"/> constant, then the rest of the call.</summary>
    [GeneratedRegex("""\.Metric\(\s*(?:"(?<name>[A-Za-z]+)"|MetricNames\.(?<constant>[A-Za-z]+))(?<rest>[^;]*);""")]
    private static partial Regex MetricCall();

    private static string MetricNameOf(string constant) =>
        (string)(typeof(MetricNames).GetField(constant)?.GetRawConstantValue() ?? throw new InvalidOperationException($"MetricNames has no constant {constant}"));

    private static IEnumerable<string> MetricNameConstants() =>
        typeof(MetricNames).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [GeneratedRegex("""\(\s*"(?<name>[A-Za-z]+)"\s*,""")]
    private static partial Regex DimensionArgument();

    [GeneratedRegex("""SELECT \w+\((?<name>\w+)\) FROM SCHEMA\((?<ns>[A-Za-z]+),\s*(?<dims>[A-Za-z, ]+)\)""")]
    private static partial Regex MetricsInsights();
}
