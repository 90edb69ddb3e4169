using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The part of the <c>AWS::LanguageExtensions</c> transform serverless.template uses: <c>Fn::ForEach</c>, expanded
/// the way CloudFormation documents it before the SAM transform runs. <c>"Fn::ForEach::Loop": [identifier,
/// collection, fragment]</c> in the Conditions, Resources and Outputs sections (and the objects inside them) is
/// replaced by one copy of the fragment per value of the collection (a literal list of strings, or a Ref to a
/// CommaDelimitedList parameter resolved by the caller). In a copy:
/// <list type="bullet">
/// <item>keys: <c>${identifier}</c> becomes the value, <c>&amp;{identifier}</c> the value without its non-alphanumeric
/// characters (the form AWS documents for logical ids built from values such as log group names);</item>
/// <item>values never get the <c>&amp;{}</c> form: CloudFormation leaves it as written outside keys
/// (aws-cloudformation/cfn-language-discussion#162, cloudformation-coverage-roadmap#2150: a
/// <c>!Ref</c> to <c>SNS&amp;{TopicId}</c> fails as an unresolved dependency);</item>
/// <item><c>{"Ref": identifier}</c> becomes the value;</item>
/// <item><c>Fn::Sub</c> templates get <c>${identifier}</c>, and a <c>Fn::Sub</c> left with no variable
/// becomes its plain string (how <c>"Condition": {"Fn::Sub": "Has${Slot}"}</c> names a condition);</item>
/// <item>other strings are left alone (the RFC: only OutputKey strings act as an implicit Fn::Sub), and so is the
/// condition name of an <c>Fn::If</c>: CloudFormation refuses a function there ("Fn::If layout is incorrect",
/// cfn-language-discussion#135) and cfn-lint 1.51 does not resolve a plain <c>Has${Slot}</c> either, so a
/// template relying on it fails here too (<see cref="TemplateIntrinsics"/> finds no such condition).</item>
/// </list>
/// A key produced twice, a logical id that is not alphanumeric, a collection that is not a list of strings, or a
/// malformed loop throws, as CloudFormation would refuse the template. The reference behaviour read is cfn-lint's
/// own expansion (cfnlint/template/transforms/_language_extensions.py) and the Fn::ForEach RFC
/// (aws-cloudformation/cfn-language-discussion, RFCs/0009-Fn::ForEach.md).
/// </summary>
public static partial class TemplateLanguageExtensions
{
    public const string Transform = "AWS::LanguageExtensions";
    public const string ForEachPrefix = "Fn::ForEach::";

    private static readonly string[] Sections = ["Conditions", "Resources", "Outputs"];

    /// <summary>The template after the transform: loops expanded, <c>AWS::LanguageExtensions</c> gone from Transform.</summary>
    /// <param name="template">The template as written (not modified).</param>
    /// <param name="listParameter">A CommaDelimitedList parameter's values, for a collection given as <c>{"Ref": name}</c>.</param>
    public static JsonObject Expand(JsonObject template, Func<string, IReadOnlyList<string>> listParameter)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(listParameter);
        var result = template.DeepClone().AsObject();
        foreach (var section in Sections)
        {
            if (result[section] is JsonObject body)
            {
                var expanded = Walk(body, new Dictionary<string, string>(StringComparer.Ordinal), listParameter)!.AsObject();
                if (expanded.Select(p => p.Key).FirstOrDefault(k => !LogicalId().IsMatch(k)) is { } key)
                {
                    throw new InvalidOperationException($"{section}: '{key}' is not an alphanumeric logical id");
                }

                result[section] = expanded;
            }
        }

        switch (result["Transform"])
        {
            case JsonArray transforms:
                var remaining = transforms.Select(t => (string?)t).Where(t => t != Transform).ToList();
                result["Transform"] = new JsonArray([.. remaining.Select(t => (JsonNode?)JsonValue.Create(t))]);
                break;
            case JsonValue single when (string?)single == Transform:
                result.Remove("Transform");
                break;
        }

        return result;
    }

    /// <summary>Whether the template (as written) has a loop anywhere in the sections that allow one.</summary>
    public static bool HasLoops(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Sections.Any(s => template[s] is JsonObject body && ContainsLoop(body));
    }

    private static bool ContainsLoop(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(p => p.Key.StartsWith(ForEachPrefix, StringComparison.Ordinal) || ContainsLoop(p.Value)),
        JsonArray array => array.Any(ContainsLoop),
        _ => false,
    };

    private static JsonNode? Walk(JsonNode? node, IReadOnlyDictionary<string, string> values, Func<string, IReadOnlyList<string>> listParameter)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Walk(item, values, listParameter))]);
            case JsonObject obj:
                if (obj.Count == 1 && values.Count > 0 && Function(obj, values, listParameter) is { } resolved)
                {
                    return resolved;
                }

                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key.StartsWith(ForEachPrefix, StringComparison.Ordinal))
                    {
                        foreach (var (outputKey, output) in Loop(key, value, values, listParameter))
                        {
                            if (result.ContainsKey(outputKey) || obj.ContainsKey(outputKey))
                            {
                                throw new InvalidOperationException($"{key}: '{outputKey}' is produced twice");
                            }

                            result[outputKey] = output;
                        }

                        continue;
                    }

                    var name = Substitute(key, values, isKey: true);
                    if (result.ContainsKey(name))
                    {
                        throw new InvalidOperationException($"'{name}' is produced twice");
                    }

                    result[name] = Walk(value, values, listParameter);
                }

                return result;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The rewritten form of an intrinsic function inside a loop; null when it is not one the loop rewrites.</summary>
    private static JsonNode? Function(JsonObject obj, IReadOnlyDictionary<string, string> values, Func<string, IReadOnlyList<string>> listParameter)
    {
        var (name, args) = obj.First();
        switch (name)
        {
            case "Ref" when args is JsonValue reference && (string?)reference is { } target && values.TryGetValue(target, out var value):
                return JsonValue.Create(value);
            case "Fn::Sub" when args is JsonValue text && (string?)text is { } template:
                var substituted = Substitute(template, values, isKey: false);
                return substituted != template && !substituted.Contains("${", StringComparison.Ordinal)
                    ? JsonValue.Create(substituted)
                    : new JsonObject { ["Fn::Sub"] = substituted };
            case "Fn::Sub" when args is JsonArray { Count: 2 } list && (string?)list[0] is { } template:
                var inner = Substitute(template, values, isKey: false);
                return inner != template && !inner.Contains("${", StringComparison.Ordinal)
                    ? JsonValue.Create(inner)
                    : new JsonObject { ["Fn::Sub"] = new JsonArray(inner, Walk(list[1], values, listParameter)) };
            case "Fn::If" when args is JsonArray { Count: 3 } branches:
                return new JsonObject
                {
                    ["Fn::If"] = new JsonArray(
                        branches[0]?.DeepClone(),
                        Walk(branches[1], values, listParameter),
                        Walk(branches[2], values, listParameter)),
                };
            default:
                return null;
        }
    }

    private static IEnumerable<(string Key, JsonNode? Value)> Loop(
        string loopKey, JsonNode? loop, IReadOnlyDictionary<string, string> outer, Func<string, IReadOnlyList<string>> listParameter)
    {
        if (loop is not JsonArray { Count: 3 } parts
            || parts[0] is not JsonValue identifierNode || (string?)identifierNode is not { Length: > 0 } identifier
            || parts[2] is not JsonObject fragment)
        {
            throw new InvalidOperationException($"{loopKey}: takes [identifier, collection, fragment object]");
        }

        if (!LogicalId().IsMatch(loopKey[ForEachPrefix.Length..]))
        {
            throw new InvalidOperationException($"{loopKey}: the loop's name must be alphanumeric");
        }

        foreach (var item in Collection(loopKey, parts[1], listParameter))
        {
            var values = new Dictionary<string, string>(outer, StringComparer.Ordinal) { [identifier] = item };
            foreach (var (key, value) in Walk(fragment, values, listParameter)!.AsObject())
            {
                yield return (key, value?.DeepClone());
            }
        }
    }

    private static IReadOnlyList<string> Collection(string loopKey, JsonNode? collection, Func<string, IReadOnlyList<string>> listParameter)
    {
        switch (collection)
        {
            case JsonArray list:
                return [.. list.Select(item => item is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                    ? v.GetValue<string>()
                    : throw new InvalidOperationException($"{loopKey}: the collection must hold strings, not {item?.ToJsonString() ?? "null"}"))];
            case JsonObject { Count: 1 } reference when reference["Ref"] is JsonValue name && (string?)name is { } parameter:
                return listParameter(parameter);
            default:
                throw new InvalidOperationException($"{loopKey}: the collection must be a list of strings or a Ref to a CommaDelimitedList parameter");
        }
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> values, bool isKey)
    {
        if (values.Count == 0 || (!text.Contains("${", StringComparison.Ordinal) && !text.Contains("&{", StringComparison.Ordinal)))
        {
            return text;
        }

        var result = new StringBuilder(text);
        foreach (var (identifier, value) in values)
        {
            result.Replace("${" + identifier + "}", value);
            if (isKey)
            {
                result.Replace("&{" + identifier + "}", NonAlphanumeric().Replace(value, string.Empty));
            }
        }

        return result.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex LogicalId();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}
