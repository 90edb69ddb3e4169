using System.Text.Json.Nodes;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Template;

/// <summary>Files of the repository the tests read: the SAM template and the sources.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlowLogEvents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no FlowLogEvents.sln above {AppContext.BaseDirectory}");
    });

    private static readonly Lazy<JsonObject> LazyWritten = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "serverless.template")))!.AsObject());

    private static readonly Lazy<JsonObject> LazyTemplate = new(() =>
        TemplateLanguageExtensions.Expand(LazyWritten.Value, parameter =>
            throw new InvalidOperationException($"serverless.template loops over parameter {parameter}")));

    public static string Root => LazyRoot.Value;

    /// <summary>serverless.template as written, with its Fn::ForEach loops (tests must not modify it).</summary>
    public static JsonObject WrittenTemplate => LazyWritten.Value;

    /// <summary>
    /// serverless.template as CloudFormation hands it to the SAM transform, after AWS::LanguageExtensions has
    /// expanded its loops (tests must not modify it).
    /// </summary>
    public static JsonObject Template => LazyTemplate.Value;

    public static JsonObject Resource(string logicalId) =>
        Template["Resources"]![logicalId]?.AsObject() ?? throw new InvalidOperationException($"serverless.template has no resource {logicalId}");

    public static JsonObject Properties(string logicalId) => Resource(logicalId)["Properties"]!.AsObject();

    /// <summary>Logical ids of the resources of one type.</summary>
    public static IReadOnlyList<string> ResourcesOfType(string type) =>
        Template["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => r.Key)
            .ToList();
}
