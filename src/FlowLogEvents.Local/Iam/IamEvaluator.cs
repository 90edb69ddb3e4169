using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.Iam;

/// <summary>
/// IAM's evaluation of one policy for one request (AWS IAM User Guide, "Policy evaluation logic"):
/// an explicit Deny that matches wins; otherwise an Allow that matches allows; otherwise the request is
/// implicitly denied. A statement matches when its Action (or NotAction), Resource (or NotResource),
/// Principal (resource policies) and Condition all match; wildcards as <see cref="IamWildcard"/>,
/// conditions as <see cref="IamConditions"/> (one it cannot evaluate does not match). NotPrincipal is
/// not modelled: such a statement does not match.
/// </summary>
public static class IamEvaluator
{
    public static IamDecision Evaluate(IamPolicy policy, IamRequestContext request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        IamStatement? allowing = null;
        foreach (var statement in policy.Statements)
        {
            if (!Matches(statement, request))
            {
                continue;
            }

            if (!statement.Allow)
            {
                return new IamDecision(IamEffect.ExplicitDeny, statement);
            }

            allowing ??= statement;
        }

        return allowing is null ? new IamDecision(IamEffect.ImplicitDeny, null) : new IamDecision(IamEffect.Allow, allowing);
    }

    public static bool Matches(IamStatement statement, IamRequestContext request)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(request);
        var action = statement.Actions is { } actions ? actions.Any(a => IamWildcard.Matches(a, request.Action, ignoreCase: true))
            : statement.NotActions is { } notActions && !notActions.Any(a => IamWildcard.Matches(a, request.Action, ignoreCase: true));
        var resource = statement.Resources is { } resources ? resources.Any(r => IamWildcard.Matches(r, request.Resource))
            : statement.NotResources is { } notResources && !notResources.Any(r => IamWildcard.Matches(r, request.Resource));
        return action
            && resource
            && statement.NotPrincipal is null
            && PrincipalMatches(statement.Principal, request)
            && IamConditions.Holds(statement.Condition, request.Keys);
    }

    /// <summary>No Principal (identity policy): the caller. <c>"*"</c> or <c>{"AWS": "*"}</c>: anyone. Otherwise the named service or role.</summary>
    private static bool PrincipalMatches(JsonNode? principal, IamRequestContext request)
    {
        if (principal is null)
        {
            return request.ServicePrincipal is null;
        }

        if (principal is JsonValue && (string?)principal == "*")
        {
            return true;
        }

        if (principal is not JsonObject named)
        {
            return false;
        }

        var services = IamStatement.Strings(named["Service"]) ?? [];
        var aws = IamStatement.Strings(named["AWS"]) ?? [];
        return (request.ServicePrincipal is { } service && services.Contains(service, StringComparer.Ordinal))
            || aws.Contains("*", StringComparer.Ordinal)
            || (request.PrincipalArn is { } arn && aws.Contains(arn, StringComparer.Ordinal));
    }
}
