namespace FlowLogEvents.Local.LocalCloud;

/// <summary>A parsed FilterLogEvents request (log group resolved from logGroupName or logGroupIdentifier; times epoch ms, both inclusive).</summary>
public sealed record FilterLogEventsSpec(
    string LogGroupName,
    IReadOnlyList<string>? LogStreamNames,
    string? LogStreamNamePrefix,
    long? StartTime,
    long? EndTime,
    string? NextToken,
    int Limit)
{
    /// <summary>FilterLogEvents' default and largest <c>limit</c>.</summary>
    public const int MaxLimit = 10_000;
}
