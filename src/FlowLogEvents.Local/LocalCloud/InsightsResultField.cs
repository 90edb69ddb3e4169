namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One <c>{"field", "value"}</c> of a GetQueryResults row (values are strings on the wire, counts included).</summary>
public sealed record InsightsResultField(string Field, string Value);
