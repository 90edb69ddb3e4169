using System.Text.Json;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Iam;

/// <summary>
/// Reads each function's execution role from serverless.template: the function's
/// <c>Role: {"Fn::GetAtt": [RoleLogicalId, "Arn"]}</c>, then that role's inline <c>Policies[].PolicyDocument</c>
/// and the <c>AWS::IAM::RolePolicy</c> resources whose <c>RoleName</c> is <c>{"Ref": RoleLogicalId}</c> and whose
/// condition holds (an excluded resource grants nothing), intrinsic functions resolved for the deployment
/// (<see cref="TemplateIntrinsics"/>). Managed policies
/// (<c>ManagedPolicyArns</c>) and permission boundaries are not read: what they would grant is not granted here.
/// </summary>
public static class TemplateRoles
{
    public static FunctionRole For(ServerlessTemplate template, TemplateIntrinsics intrinsics, string functionLogicalId)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(intrinsics);
        var role = template.FunctionProperties(functionLogicalId).TryGetProperty("Role", out var r) && r.TryGetProperty("Fn::GetAtt", out var getAtt)
            ? getAtt.ValueKind == JsonValueKind.Array ? getAtt[0].GetString()! : getAtt.GetString()!.Split('.')[0]
            : throw new InvalidOperationException($"{functionLogicalId} has no Role of the form Fn::GetAtt [<role>, Arn] in serverless.template");
        var properties = template.ResourceDefinition(role).GetProperty("Properties");
        var policies = new List<IamPolicy>();
        if (properties.TryGetProperty("Policies", out var inline))
        {
            foreach (var policy in inline.EnumerateArray())
            {
                policies.Add(IamPolicy.Parse(intrinsics.Resolve(policy.GetProperty("PolicyDocument"))
                    ?? throw new InvalidOperationException($"{role}: a PolicyDocument resolved to no value")));
            }
        }

        foreach (var resource in template.Root.GetProperty("Resources").EnumerateObject())
        {
            var definition = resource.Value;
            if (definition.GetProperty("Type").GetString() != "AWS::IAM::RolePolicy"
                || !definition.GetProperty("Properties").GetProperty("RoleName").TryGetProperty("Ref", out var target)
                || target.GetString() != role
                || (definition.TryGetProperty("Condition", out var condition) && !intrinsics.Condition(condition.GetString()!)))
            {
                continue;
            }

            policies.Add(IamPolicy.Parse(intrinsics.Resolve(definition.GetProperty("Properties").GetProperty("PolicyDocument"))
                ?? throw new InvalidOperationException($"{resource.Name}: a PolicyDocument resolved to no value")));
        }

        var roleName = properties.TryGetProperty("RoleName", out var name) ? intrinsics.ResolveString(name) : $"{TemplateIntrinsics.StackName}-{role}";
        return new FunctionRole(functionLogicalId, role, $"arn:aws:iam::{LocalCloudResources.AccountId}:role/{roleName}", IamPolicy.Combine(policies));
    }
}
