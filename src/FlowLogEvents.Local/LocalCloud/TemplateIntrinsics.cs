using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// Resolves CloudFormation intrinsic functions in a part of serverless.template the way CloudFormation
/// does for one deployment: <c>Ref</c> (parameters with their overrides and defaults, CommaDelimitedList
/// parameters as lists, resources, pseudo parameters, <c>AWS::NoValue</c> removing the value),
/// <c>Fn::GetAtt</c>, <c>Fn::Sub</c> (string and list forms, <c>${!Literal}</c>), <c>Fn::Join</c>,
/// <c>Fn::Select</c>, <c>Fn::Split</c>, <c>Fn::If</c> over the template's Conditions (<c>Fn::Equals</c>,
/// <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c>, <c>Condition</c>). Anything it cannot resolve throws:
/// a value the local cloud guesses would be an oracle that agrees with whatever the template says.
/// </summary>
public sealed class TemplateIntrinsics
{
    public const string Partition = "aws";
    public const string StackName = "flowlogevents-local";

    private readonly JsonElement _root;
    private readonly IReadOnlyDictionary<string, string> _refs;
    private readonly IReadOnlyDictionary<string, string> _attributes;

    /// <param name="root">The template's root object.</param>
    /// <param name="refs">Parameter overrides and resource Refs (logical id to physical id, queue URL, bucket name, ...).</param>
    /// <param name="attributes">Fn::GetAtt values keyed <c>LogicalId.Attribute</c>.</param>
    public TemplateIntrinsics(JsonElement root, IReadOnlyDictionary<string, string> refs, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(refs);
        ArgumentNullException.ThrowIfNull(attributes);
        _root = root;
        _refs = refs;
        _attributes = attributes;
    }

    /// <summary>The value with every intrinsic function resolved; null for <c>AWS::NoValue</c> (the property or element is dropped).</summary>
    public JsonNode? Resolve(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in value.EnumerateArray())
                {
                    if (Resolve(item) is { } resolved)
                    {
                        array.Add(resolved);
                    }
                }

                return array;
            case JsonValueKind.Object:
                if (Intrinsic(value) is { } function)
                {
                    return Call(function.Name, function.Value);
                }

                var obj = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (Resolve(property.Value) is { } resolved)
                    {
                        obj[property.Name] = resolved;
                    }
                }

                return obj;
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }

    /// <summary>A value that must resolve to a string (numbers and booleans as CloudFormation renders them).</summary>
    public string ResolveString(JsonElement value) => Scalar(Resolve(value))
        ?? throw new InvalidOperationException($"not a string value: {value.GetRawText()}");

    /// <summary>The template condition <paramref name="name"/> for this deployment.</summary>
    public bool Condition(string name) =>
        _root.TryGetProperty("Conditions", out var conditions) && conditions.TryGetProperty(name, out var condition)
            ? Evaluate(condition)
            : throw new InvalidOperationException($"serverless.template has no condition {name}");

    /// <summary>A node's string value (string, number or boolean); null for lists, objects and NoValue.</summary>
    public static string? Scalar(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    private static (string Name, JsonElement Value)? Intrinsic(JsonElement value)
    {
        using var properties = value.EnumerateObject();
        if (!properties.MoveNext())
        {
            return null;
        }

        var first = properties.Current;
        if (properties.MoveNext())
        {
            return null;
        }

        return first.Name == "Ref" || first.Name.StartsWith("Fn::", StringComparison.Ordinal) ? (first.Name, first.Value) : null;
    }

    private JsonNode? Call(string name, JsonElement args) => name switch
    {
        "Ref" => Ref(args.GetString()!),
        "Fn::GetAtt" => JsonValue.Create(GetAtt(args.ValueKind == JsonValueKind.String ? args.GetString()! : $"{args[0].GetString()}.{args[1].GetString()}")),
        "Fn::Sub" => JsonValue.Create(Sub(args)),
        "Fn::Join" => JsonValue.Create(string.Join(ResolveString(args[0]), List(args[1]).Select(n => Scalar(n) ?? throw new InvalidOperationException($"Fn::Join of a non-string: {args.GetRawText()}")))),
        "Fn::Select" => Select(args),
        "Fn::Split" => new JsonArray([.. ResolveString(args[1]).Split(ResolveString(args[0])).Select(s => (JsonNode?)JsonValue.Create(s))]),
        "Fn::If" => Resolve(Condition(args[0].GetString()!) ? args[1] : args[2]),
        _ => throw new InvalidOperationException($"unsupported intrinsic function {name}"),
    };

    private JsonNode? Select(JsonElement args)
    {
        var index = int.Parse(ResolveString(args[0]), CultureInfo.InvariantCulture);
        var list = List(args[1]);
        return index >= 0 && index < list.Count
            ? list[index]?.DeepClone()
            : throw new InvalidOperationException($"Fn::Select index {index} outside a list of {list.Count}");
    }

    private JsonArray List(JsonElement value) => Resolve(value) as JsonArray
        ?? throw new InvalidOperationException($"not a list: {value.GetRawText()}");

    private JsonNode? Ref(string name)
    {
        switch (name)
        {
            case "AWS::NoValue":
                return null;
            case "AWS::Region":
                return JsonValue.Create(LocalCloudResources.Region);
            case "AWS::AccountId":
                return JsonValue.Create(LocalCloudResources.AccountId);
            case "AWS::Partition":
                return JsonValue.Create(Partition);
            case "AWS::StackName":
                return JsonValue.Create(StackName);
            case "AWS::URLSuffix":
                return JsonValue.Create("amazonaws.com");
        }

        var parameter = _root.TryGetProperty("Parameters", out var parameters) && parameters.TryGetProperty(name, out var p) ? p : (JsonElement?)null;
        string? text = _refs.TryGetValue(name, out var v) ? v
            : parameter is { } declared && declared.TryGetProperty("Default", out var d) ? (d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText())
            : null;
        if (text is null)
        {
            throw new InvalidOperationException($"nothing to resolve Ref {name} with");
        }

        var isList = parameter is { } typed && typed.TryGetProperty("Type", out var type) && type.GetString() is "CommaDelimitedList" or "List<String>";
        return isList ? new JsonArray([.. text.Split(',').Select(s => (JsonNode?)JsonValue.Create(s.Trim()))]) : JsonValue.Create(text);
    }

    private string GetAtt(string key) => _attributes.TryGetValue(key, out var value)
        ? value
        : throw new InvalidOperationException($"nothing to resolve Fn::GetAtt {key} with");

    private string Sub(JsonElement args)
    {
        var (text, variables) = args.ValueKind == JsonValueKind.String
            ? (args.GetString()!, (JsonElement?)null)
            : (args[0].GetString()!, args[1]);
        var result = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                throw new InvalidOperationException($"Fn::Sub: unterminated ${{ in {text}");
            }

            var variable = text[(start + 2)..end];
            result.Append(
                variable.StartsWith('!') ? "${" + variable[1..] + "}"
                : variables is { } map && map.TryGetProperty(variable, out var mapped) ? ResolveString(mapped)
                : variable.Contains('.', StringComparison.Ordinal) && !variable.StartsWith("AWS::", StringComparison.Ordinal) ? GetAtt(variable)
                : Scalar(Ref(variable)) ?? throw new InvalidOperationException($"Fn::Sub: ${{{variable}}} is not a string"));
            i = end + 1;
        }

        return result.ToString();
    }

    private bool Evaluate(JsonElement condition)
    {
        if (condition.ValueKind == JsonValueKind.Object && condition.TryGetProperty("Condition", out var named) && named.ValueKind == JsonValueKind.String)
        {
            return Condition(named.GetString()!);
        }

        if (Intrinsic(condition) is not { } function)
        {
            throw new InvalidOperationException($"unsupported condition {condition.GetRawText()}");
        }

        var args = function.Value;
        return function.Name switch
        {
            "Fn::Equals" => Scalar(Resolve(args[0])) == Scalar(Resolve(args[1])),
            "Fn::Not" => !Evaluate(args[0]),
            "Fn::And" => args.EnumerateArray().All(Evaluate),
            "Fn::Or" => args.EnumerateArray().Any(Evaluate),
            _ => throw new InvalidOperationException($"unsupported condition {condition.GetRawText()}"),
        };
    }
}
