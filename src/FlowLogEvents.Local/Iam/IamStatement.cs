using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.Iam;

/// <summary>One statement of a policy document, its intrinsic functions already resolved.</summary>
public sealed record IamStatement
{
    public string? Sid { get; init; }

    public required bool Allow { get; init; }

    /// <summary><c>Action</c>; null when the statement uses <c>NotAction</c>.</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    public IReadOnlyList<string>? NotActions { get; init; }

    /// <summary><c>Resource</c>; null when the statement uses <c>NotResource</c> (or, in a trust policy, neither).</summary>
    public IReadOnlyList<string>? Resources { get; init; }

    public IReadOnlyList<string>? NotResources { get; init; }

    /// <summary><c>Principal</c> as written (<c>"*"</c>, <c>{"Service": ...}</c>, <c>{"AWS": ...}</c>); null in identity policies.</summary>
    public JsonNode? Principal { get; init; }

    /// <summary><c>NotPrincipal</c> as written; the evaluator does not model it and treats such a statement as not matching.</summary>
    public JsonNode? NotPrincipal { get; init; }

    /// <summary><c>Condition</c> as written: operator to (context key to value or values).</summary>
    public JsonObject? Condition { get; init; }

    public static IamStatement Parse(JsonObject statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var effect = (string?)statement["Effect"] ?? throw new FormatException($"statement without Effect: {statement.ToJsonString()}");
        return new IamStatement
        {
            Sid = (string?)statement[nameof(Sid)],
            Allow = effect switch
            {
                "Allow" => true,
                "Deny" => false,
                _ => throw new FormatException($"unknown Effect {effect}"),
            },
            Actions = Strings(statement["Action"]),
            NotActions = Strings(statement["NotAction"]),
            Resources = Strings(statement["Resource"]),
            NotResources = Strings(statement["NotResource"]),
            Principal = statement[nameof(Principal)]?.DeepClone(),
            NotPrincipal = statement[nameof(NotPrincipal)]?.DeepClone(),
            Condition = statement[nameof(Condition)]?.DeepClone() as JsonObject,
        };
    }

    /// <summary>A string or a list of strings (IAM accepts either wherever a list is allowed).</summary>
    public static IReadOnlyList<string>? Strings(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => [.. array.Select(n => (string?)n ?? throw new FormatException($"not a string: {n?.ToJsonString()}"))],
        _ => [(string?)node ?? throw new FormatException("not a string")],
    };
}
