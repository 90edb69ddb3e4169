namespace FlowLogEvents.Aws.CloudWatchLogs;

// Requests and responses of the operations this client covers. Property names are the wire member names
// in PascalCase (the JSON context writes camelCase); times are epoch milliseconds as on the wire.

public sealed record RejectedLogEventsInfo
{
    public int? TooNewLogEventStartIndex { get; init; }

    public int? TooOldLogEventEndIndex { get; init; }

    public int? ExpiredLogEventEndIndex { get; init; }
}
