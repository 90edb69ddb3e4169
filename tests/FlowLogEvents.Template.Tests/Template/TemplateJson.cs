using System.Text.Json.Nodes;

namespace FlowLogEvents.Tests.Template;

/// <summary>Reading CloudFormation JSON: Fn::If branches, intrinsic functions rendered as text.</summary>
public static class TemplateJson
{
    /// <summary>A value with Fn::If expanded into both branches (AWS::NoValue dropped), with the conditions on its path ("!C" = C false).</summary>
    public static IEnumerable<(JsonNode Value, IReadOnlyList<string> Conditions)> Branches(JsonNode? node, IReadOnlyList<string>? conditions = null)
    {
        conditions ??= [];
        if (node is null || IsNoValue(node))
        {
            yield break;
        }

        if (node is JsonObject obj && obj["Fn::If"] is JsonArray { Count: 3 } fnIf)
        {
            var condition = (string)fnIf[0]!;
            foreach (var branch in Branches(fnIf[1], [.. conditions, condition]))
            {
                yield return branch;
            }

            foreach (var branch in Branches(fnIf[2], [.. conditions, "!" + condition]))
            {
                yield return branch;
            }

            yield break;
        }

        yield return (node, conditions);
    }

    /// <summary>The items of a list-or-scalar value (IAM Action/Resource), with Fn::If expanded.</summary>
    public static IEnumerable<(JsonNode Value, IReadOnlyList<string> Conditions)> Items(JsonNode? node)
    {
        foreach (var (value, conditions) in Branches(node))
        {
            if (value is JsonArray array)
            {
                foreach (var item in array)
                {
                    foreach (var branch in Branches(item, conditions))
                    {
                        yield return branch;
                    }
                }
            }
            else
            {
                yield return (value, conditions);
            }
        }
    }

    public static bool IsNoValue(JsonNode node) => node is JsonObject o && (string?)o["Ref"] == "AWS::NoValue";

    /// <summary>"Ref:X", "GetAtt:X.Attr", "Sub:template" or the literal string.</summary>
    public static string Render(JsonNode node) => node switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Ref"] is { } r => "Ref:" + (string)r!,
        JsonObject o when o["Fn::GetAtt"] is JsonArray g => $"GetAtt:{(string)g[0]!}.{(string)g[1]!}",
        JsonObject o when o["Fn::Sub"] is JsonValue s => "Sub:" + (string)s!,
        JsonObject o when o["Fn::Sub"] is JsonArray s => "Sub:" + (string)s[0]!,
        _ => node.ToJsonString(),
    };

    public static IReadOnlyList<string> Strings(JsonNode? node) => Items(node).Select(i => Render(i.Value)).ToList();
}
