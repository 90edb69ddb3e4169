namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// Counters of the reads a verification makes of CloudWatch Logs, answered by the front (thread-safe): Logs Insights
/// queries with the records and bytes they scanned (what AWS bills, per GB scanned) and FilterLogEvents requests with
/// the events and bytes they returned.
/// </summary>
public sealed class VerificationReadStats
{
    private long _queriesStarted;
    private long _queriesLimitExceeded;
    private long _queriesStopped;
    private long _getQueryResultsCalls;
    private long _recordsScanned;
    private long _bytesScanned;
    private long _filterRequests;
    private long _filterEvents;
    private long _filterBytes;

    /// <summary>StartQuery calls that started a query.</summary>
    public long QueriesStarted => Interlocked.Read(ref _queriesStarted);

    /// <summary>StartQuery calls answered LimitExceededException (too many concurrent queries).</summary>
    public long QueriesLimitExceeded => Interlocked.Read(ref _queriesLimitExceeded);

    public long QueriesStopped => Interlocked.Read(ref _queriesStopped);

    public long GetQueryResultsCalls => Interlocked.Read(ref _getQueryResultsCalls);

    /// <summary>Log events the started queries scanned (every event of their log groups and time range).</summary>
    public long QueryRecordsScanned => Interlocked.Read(ref _recordsScanned);

    /// <summary>Bytes the started queries scanned, as their statistics' bytesScanned report it (see <see cref="InsightsQueryBook.EventBytes"/>).</summary>
    public long QueryBytesScanned => Interlocked.Read(ref _bytesScanned);

    public long FilterLogEventsRequests => Interlocked.Read(ref _filterRequests);

    public long FilterLogEventsEventsReturned => Interlocked.Read(ref _filterEvents);

    /// <summary>Bytes of the FilterLogEvents response bodies.</summary>
    public long FilterLogEventsBytesReturned => Interlocked.Read(ref _filterBytes);

    internal void QueryStarted(long records, long bytes)
    {
        Interlocked.Increment(ref _queriesStarted);
        Interlocked.Add(ref _recordsScanned, records);
        Interlocked.Add(ref _bytesScanned, bytes);
    }

    internal void QueryLimitExceeded() => Interlocked.Increment(ref _queriesLimitExceeded);

    internal void QueryStopped() => Interlocked.Increment(ref _queriesStopped);

    internal void QueryResultsRead() => Interlocked.Increment(ref _getQueryResultsCalls);

    internal void FilterAnswered(long events, long bytes)
    {
        Interlocked.Increment(ref _filterRequests);
        Interlocked.Add(ref _filterEvents, events);
        Interlocked.Add(ref _filterBytes, bytes);
    }
}
