namespace FlowLogEvents.Verification;

/// <summary>CloudWatch Logs' own record of a log group, as the verification reads it.</summary>
public interface ILogEventSource
{
    /// <summary>
    /// How many events with <paramref name="first"/> &lt;= timestamp &lt;= <paramref name="last"/> each log stream holds.
    /// Throws <see cref="VerificationSourceException"/> when the source cannot answer now (a query failed or timed out).
    /// </summary>
    Task<StreamCounts> CountByStreamAsync(string logGroup, long first, long last, CancellationToken ct);

    /// <summary>Every event of one stream with <paramref name="first"/> &lt;= timestamp &lt;= <paramref name="last"/>, as CloudWatch Logs holds it.</summary>
    Task<IReadOnlyList<LogEventKey>> ReadStreamAsync(string logGroup, string logStream, long first, long last, CancellationToken ct);
}
