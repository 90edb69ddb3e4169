namespace FlowLogEvents.Local.LocalCloud;

/// <summary>A parsed StartQuery: the log groups (names, ARNs resolved), the time range in epoch SECONDS (both inclusive), the query and StartQuery's <c>limit</c>.</summary>
public sealed record StartQuerySpec(IReadOnlyList<string> LogGroupNames, long StartTime, long EndTime, string QueryString, int Limit)
{
    /// <summary>StartQuery's default <c>limit</c> (botocore: "The default is 10,000").</summary>
    public const int DefaultLimit = 10_000;

    /// <summary>StartQuery's largest <c>limit</c>.</summary>
    public const int MaxLimit = 100_000;

    /// <summary>"You can include up to 50 log groups."</summary>
    public const int MaxLogGroups = 50;
}
