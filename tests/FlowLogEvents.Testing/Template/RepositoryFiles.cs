using System.Text.Json.Nodes;

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

    private static readonly Lazy<JsonObject> LazyTemplate = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "serverless.template")))!.AsObject());

    public static string Root => LazyRoot.Value;

    /// <summary>serverless.template, parsed (tests must not modify it).</summary>
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
