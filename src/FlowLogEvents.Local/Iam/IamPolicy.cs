using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.Iam;

/// <summary>A policy document (identity-based or resource-based), as a list of statements.</summary>
public sealed record IamPolicy(IReadOnlyList<IamStatement> Statements)
{
    /// <summary>Parses <c>{"Version": ..., "Statement": [...] | {...}}</c>.</summary>
    public static IamPolicy Parse(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document["Statement"] switch
        {
            JsonArray list => new IamPolicy([.. list.OfType<JsonObject>().Select(IamStatement.Parse)]),
            JsonObject single => new IamPolicy([IamStatement.Parse(single)]),
            _ => throw new FormatException($"policy without Statement: {document.ToJsonString()}"),
        };
    }

    public static IamPolicy Parse(string json) => Parse(JsonNode.Parse(json) ?? throw new FormatException("empty policy"));

    /// <summary>All statements of several policies (a role's inline policies are evaluated together).</summary>
    public static IamPolicy Combine(IEnumerable<IamPolicy> policies) => new([.. policies.SelectMany(p => p.Statements)]);
}
