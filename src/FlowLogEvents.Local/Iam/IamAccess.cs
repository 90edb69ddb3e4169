namespace FlowLogEvents.Local.Iam;

/// <summary>One IAM action on one resource ARN that a request needs.</summary>
public sealed record IamAccess(string Action, string Resource);
