namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>One field of one Logs Insights result row.</summary>
public sealed record ResultField
{
    public string? Field { get; init; }

    public string? Value { get; init; }
}
