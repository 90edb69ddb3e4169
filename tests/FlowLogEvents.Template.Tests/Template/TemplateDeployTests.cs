using System.Globalization;
using System.Text.Json.Nodes;

namespace FlowLogEvents.Tests.Template;

/// <summary>What makes `dotnet lambda deploy-serverless` work from a clone with no extra flags.</summary>
public sealed class TemplateDeployTests
{
    private static JsonObject Defaults =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "aws-lambda-tools-defaults.json")))!.AsObject();

    [Fact]
    public void ToolsDefaults_RepositoryRoot_PointAtTheTemplateAndNeedNoArtifactBucket()
    {
        var defaults = Defaults;

        Assert.Equal("serverless.template", (string?)defaults["template"]);
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, (string)defaults["template"]!)));
        Assert.Equal("flowlogevents", (string?)defaults["stack-name"]);
        Assert.True((bool)defaults["resolve-s3"]!);
        Assert.Equal("Release", (string?)defaults["configuration"]);
        // provided.al2023 is not in the tool's runtime-to-framework map: the framework comes from the project.
        Assert.Null(defaults["framework"]);
        Assert.Null(defaults["project-location"]);
    }

    [Fact]
    public void CodeUri_InGlobals_IsTheBootstrapProjectRelativeToTheTemplate()
    {
        var codeUri = (string)RepositoryFiles.Template["Globals"]!["Function"]!["CodeUri"]!;

        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, codeUri, "FlowLogEvents.Bootstrap.csproj")));
    }

    [Fact]
    public void Transform_Template_IsJsonAndEveryNonObjectResourceIsAForEachAfterLanguageExtensions()
    {
        // Amazon.Lambda.Tools 6.0.0 and later (docs/operations.md pins 6.*) deploy a template whose Resources hold an
        // Fn::ForEach entry (an array) only because of how their JSON parser walks Resources. Read in
        // aws/aws-extensions-for-dotnet-cli, src/Amazon.Lambda.Tools/TemplateProcessor/JsonTemplateParser.cs,
        // UpdatableResources(): since commit bf6810d ("Updated to V4 of the AWS SDK for .NET", #393, released as
        // Amazon.Lambda.Tools 6.0.0 on 2025-12-12) each entry is read with System.Text.Json, and
        // `if (!(kvp.Value is Dictionary<string, object> resource)) continue;` skips one that is not an object.
        // Before it (5.x, LitJson) `resource["Properties"]` on an array entry throws. YamlTemplateParser.cs still
        // casts every entry, `(YamlMappingNode)resource.Value`, and breaks on a loop. So the template stays JSON,
        // the functions stay outside loops (the tool must find each AWS::Serverless::Function to rewrite its
        // CodeUri, here from Globals.Function), and AWS::LanguageExtensions comes before the SAM transform.
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, (string)Defaults["template"]!));
        var template = JsonNode.Parse(text)!.AsObject();
        var loops = template["Resources"]!.AsObject().Where(r => r.Value is not JsonObject).Select(r => r.Key).ToList();

        Assert.StartsWith("{", text.TrimStart(), StringComparison.Ordinal);
        Assert.All(loops, key => Assert.StartsWith("Fn::ForEach::", key, StringComparison.Ordinal));
        Assert.NotEmpty(loops);
        var transforms = template["Transform"] is JsonArray list ? list.Select(t => (string?)t).ToList() : [(string?)template["Transform"]];
        Assert.Equal(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"], transforms);
        Assert.Equal(
            ["ExportFunction", "SignalFunction"],
            template["Resources"]!.AsObject().Where(r => r.Value is JsonObject o && (string?)o["Type"] == "AWS::Serverless::Function").Select(r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Loops_Template_TakeShapesAwsDocuments()
    {
        // AWS's Fn::ForEach page: the collection is a list of strings (or a Ref to a CommaDelimitedList); logical
        // ids must come out alphanumeric, so the slots loop over literal numbers, not over log group names (a
        // name's '/' would need &{} ids, an empty LogGroupNames would make one loop copy, and more than ten names
        // would subscribe more than ten groups). Its Conditions examples: a looped resource names its condition by
        // Fn::Sub, and Condition must not be the first key of the resource or stack creation fails. The RFC: only
        // keys are an implicit Fn::Sub, so no plain string value may carry ${Slot}.
        var written = RepositoryFiles.WrittenTemplate;
        var loops = new[] { "Conditions", "Resources" }
            .SelectMany(section => written[section]!.AsObject().Where(e => e.Key.StartsWith("Fn::ForEach::", StringComparison.Ordinal)))
            .ToList();

        Assert.Equal(["Fn::ForEach::LogGroupSlotConditions", "Fn::ForEach::LogGroupSlots"], loops.Select(l => l.Key).Order(StringComparer.Ordinal));
        Assert.All(loops, loop =>
        {
            var parts = loop.Value!.AsArray();
            Assert.Equal("Slot", (string?)parts[0]);
            Assert.Equal(Enumerable.Range(1, TemplateSubscriptionTests.Slots).Select(i => i.ToString(CultureInfo.InvariantCulture)), parts[1]!.AsArray().Select(v => (string?)v));
            Assert.DoesNotContain(Values(parts[2]!), value => value.Contains("${Slot}", StringComparison.Ordinal) || value.Contains("&{Slot}", StringComparison.Ordinal));
        });
        foreach (var (_, resource) in written["Resources"]!["Fn::ForEach::LogGroupSlots"]![2]!.AsObject())
        {
            var keys = resource!.AsObject().Select(p => p.Key).ToList();
            Assert.Equal("Type", keys[0]);
            Assert.Equal("{\"Fn::Sub\":\"HasLogGroup${Slot}\"}", resource["Condition"]!.ToJsonString());
        }
    }

    [Fact]
    public void Expansion_Template_HasTheThreeResourcesOfEachSlotAndNoLoopLeft()
    {
        var resources = RepositoryFiles.Template["Resources"]!.AsObject();
        var slots = Enumerable.Range(1, TemplateSubscriptionTests.Slots).ToList();

        // 36 resources outside the slots, and per slot its permission, subscription filter and export policy.
        Assert.Equal(36 + (3 * TemplateSubscriptionTests.Slots), resources.Count);
        Assert.All(slots, slot => Assert.Equal("AWS::IAM::RolePolicy", (string?)resources[$"ExportPolicy{slot}"]!["Type"]));
        Assert.All(slots, slot => Assert.Equal("AWS::Lambda::Permission", (string?)resources[$"SignalPermission{slot}"]!["Type"]));
        Assert.All(slots, slot => Assert.Equal("AWS::Logs::SubscriptionFilter", (string?)resources[$"SubscriptionFilter{slot}"]!["Type"]));
        Assert.Equal(["AWS::Serverless-2016-10-31"], RepositoryFiles.Template["Transform"]!.AsArray().Select(t => (string?)t));
        Assert.DoesNotContain(resources, r => r.Key.StartsWith("Fn::ForEach::", StringComparison.Ordinal));
    }

    /// <summary>Every plain string value in a node: not keys, not Fn::Sub templates.</summary>
    private static IEnumerable<string> Values(JsonNode node) => node switch
    {
        JsonObject { Count: 1 } sub when sub["Fn::Sub"] is JsonValue => [],
        JsonObject { Count: 1 } sub when sub["Fn::Sub"] is JsonArray { Count: 2 } list => Values(list[1]!),
        JsonObject obj => obj.SelectMany(p => p.Value is null ? [] : Values(p.Value)),
        JsonArray array => array.SelectMany(i => i is null ? [] : Values(i)),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    [Fact]
    public void Rules_Template_RefuseAStackWithNothingToExportOrSharedPrefixes()
    {
        var rules = RepositoryFiles.Template["Rules"]!.AsObject();

        Assert.Equal(["SeparatePrefixes", "SomethingToExport"], rules.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains("\"Fn::Contains\":[{\"Ref\":\"LogGroupNames\"},\"\"]", rules["SomethingToExport"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("{\"Ref\":\"ExportPrefix\"},{\"Ref\":\"StatePrefix\"}", rules["SeparatePrefixes"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
