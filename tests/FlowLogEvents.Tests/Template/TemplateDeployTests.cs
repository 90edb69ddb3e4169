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
    public void Transform_Template_IsSamOnlyWithoutForEachThatTheToolsParserCannotRead()
    {
        // Amazon.Lambda.Tools reads every entry of Resources as an object; an Fn::ForEach entry (an array) breaks it.
        Assert.Equal("AWS::Serverless-2016-10-31", (string?)RepositoryFiles.Template["Transform"]);
        Assert.All(RepositoryFiles.Template["Resources"]!.AsObject(), r => Assert.IsType<JsonObject>(r.Value));
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
