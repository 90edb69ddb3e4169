namespace FlowLogEvents.Local.Iam;

/// <summary>The outcome of a policy evaluation.</summary>
public enum IamEffect
{
    /// <summary>No statement allows the request (IAM's default deny).</summary>
    ImplicitDeny,

    /// <summary>An Allow statement matches and no Deny does.</summary>
    Allow,

    /// <summary>A Deny statement matches: it wins over every Allow.</summary>
    ExplicitDeny,
}
