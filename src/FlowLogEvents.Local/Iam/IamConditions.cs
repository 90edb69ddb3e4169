using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.Iam;

/// <summary>
/// Evaluates a statement's <c>Condition</c> block: every operator, every key and at least one of a key's
/// values must match (IAM's AND of operators and keys, OR of values). Operators modelled: StringEquals,
/// StringNotEquals, StringEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals,
/// ArnNotLike, Bool, each also with IfExists. Harsher than IAM where it cannot tell: an unknown operator
/// (Numeric*, Date*, IpAddress, ForAnyValue:/ForAllValues:, Null, ...) or a key the request does not carry
/// (without IfExists, negated operators included) makes the condition fail, so the statement does not match.
/// </summary>
public static class IamConditions
{
    /// <summary>True when the block is absent or all of it holds for <paramref name="keys"/>.</summary>
    public static bool Holds(JsonObject? condition, IReadOnlyDictionary<string, string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (condition is null)
        {
            return true;
        }

        foreach (var (op, block) in condition)
        {
            if (block is not JsonObject pairs)
            {
                return false;
            }

            var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
            var name = ifExists ? op[..^"IfExists".Length] : op;
            foreach (var (key, expected) in pairs)
            {
                var values = IamStatement.Strings(expected) ?? [];
                if (!TryGetKey(keys, key, out var actual))
                {
                    if (ifExists)
                    {
                        continue;
                    }

                    return false;
                }

                if (Compare(name, values, actual) != true)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TryGetKey(IReadOnlyDictionary<string, string> keys, string key, out string value)
    {
        // Condition key names are case-insensitive.
        foreach (var (k, v) in keys)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Whether <paramref name="actual"/> satisfies operator <paramref name="op"/> over <paramref name="values"/>; null for an operator not modelled.</summary>
    private static bool? Compare(string op, IReadOnlyList<string> values, string actual) => op switch
    {
        "StringEquals" or "ArnEquals" => values.Any(v => string.Equals(v, actual, StringComparison.Ordinal)),
        "StringNotEquals" or "ArnNotEquals" => !values.Any(v => string.Equals(v, actual, StringComparison.Ordinal)),
        "StringEqualsIgnoreCase" => values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        "StringNotEqualsIgnoreCase" => !values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        "StringLike" or "ArnLike" => values.Any(v => IamWildcard.Matches(v, actual)),
        "StringNotLike" or "ArnNotLike" => !values.Any(v => IamWildcard.Matches(v, actual)),
        "Bool" => values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        _ => null,
    };
}
