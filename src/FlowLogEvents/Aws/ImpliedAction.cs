namespace FlowLogEvents.Aws;

/// <summary>An IAM action an adapter needs without calling an operation of that name, and why.</summary>
/// <param name="Adapter">The adapter's type name (<c>nameof(S3CheckpointStore)</c>).</param>
public sealed record ImpliedAction(string Adapter, string Action, string Reason);
