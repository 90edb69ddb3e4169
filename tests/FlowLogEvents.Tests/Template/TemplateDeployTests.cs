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
        // Amazon.Lambda.Tools 6.0.0 and later (docs/operations.md pins 6.*): its JSON template parser skips Resources entries
        // that are not objects, so an Fn::ForEach entry (an array) deploys; its YAML parser casts every entry to a
        // mapping and still breaks on one (aws/aws-extensions-for-dotnet-cli, TemplateProcessor/JsonTemplateParser.cs
        // and YamlTemplateParser.cs). The template must therefore stay JSON, and an Fn::ForEach needs the
        // AWS::LanguageExtensions transform before the SAM one.
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, (string)Defaults["template"]!));
        var template = JsonNode.Parse(text)!.AsObject();
        var loops = template["Resources"]!.AsObject().Where(r => r.Value is not JsonObject).Select(r => r.Key).ToList();

        Assert.StartsWith("{", text.TrimStart(), StringComparison.Ordinal);
        Assert.All(loops, key => Assert.StartsWith("Fn::ForEach::", key, StringComparison.Ordinal));
        var transforms = template["Transform"] is JsonArray list ? list.Select(t => (string?)t).ToList() : [(string?)template["Transform"]];
        Assert.Equal("AWS::Serverless-2016-10-31", transforms[^1]);
        if (loops.Count > 0)
        {
            Assert.Equal(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"], transforms);
        }
    }

    [Fact]
    public void Rules_Template_RefuseAStackWithNothingToExportOrSharedPrefixes()
    {
        var rules = RepositoryFiles.Template["Rules"]!.AsObject();

        Assert.Equal(["SeparatePrefixes", "SomethingToExport"], rules.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains("\"Fn::Contains\":[{\"Ref\":\"LogGroupNames\"},\"\"]", rules["SomethingToExport"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("{\"Ref\":\"ExportPrefix\"},{\"Ref\":\"StatePrefix\"}", rules["SeparatePrefixes"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
