namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One GetQueryResults answer: status, rows of this page, statistics (doubles on the wire) and the token of the next page.</summary>
public sealed record InsightsQueryPage(
    string Status,
    IReadOnlyList<IReadOnlyList<InsightsResultField>> Results,
    double RecordsMatched,
    double RecordsScanned,
    double BytesScanned,
    double LogGroupsScanned,
    string? NextToken);
