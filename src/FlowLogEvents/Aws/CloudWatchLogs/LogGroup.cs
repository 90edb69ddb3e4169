namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

public sealed record LogGroup
{
    public required string LogGroupName { get; init; }

    public string? Arn { get; init; }

    public long CreationTime { get; init; }

    public int? RetentionInDays { get; init; }

    public long? StoredBytes { get; init; }
}
