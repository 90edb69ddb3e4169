namespace FlowLogEvents.Local.Iam;

/// <summary>The outcome of evaluating a policy for one request, and the statement that decided it (null for an implicit deny).</summary>
public sealed record IamDecision(IamEffect Effect, IamStatement? Statement)
{
    public bool Allowed => Effect == IamEffect.Allow;
}
