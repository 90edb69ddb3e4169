namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One FilterLogEvents answer: the page's events in FilterLogEvents' order and the token of the next page (null: pagination is finished).</summary>
public sealed record FilterLogEventsPage(IReadOnlyList<IngestedEvent> Events, string? NextToken);
