namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>What a Logs Insights query matched and scanned; <see cref="BytesScanned"/> is what it is billed by.</summary>
public sealed record QueryStatistics
{
    public double RecordsMatched { get; init; }

    public double RecordsScanned { get; init; }

    public double BytesScanned { get; init; }
}
