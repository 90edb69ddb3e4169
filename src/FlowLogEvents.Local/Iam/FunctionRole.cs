namespace FlowLogEvents.Local.Iam;

/// <summary>A function's execution role as the template declares it: its logical id, the ARN its sessions carry, and its inline policies together.</summary>
public sealed record FunctionRole(string FunctionName, string RoleLogicalId, string RoleArn, IamPolicy Policy)
{
    /// <summary>The role session ARN Lambda's credentials carry (<c>arn:aws:sts::account:assumed-role/role-name/function-name</c>).</summary>
    public string SessionArn => $"arn:aws:sts::{LocalCloud.LocalCloudResources.AccountId}:assumed-role/{RoleArn[(RoleArn.LastIndexOf('/') + 1)..]}/{FunctionName}";
}
