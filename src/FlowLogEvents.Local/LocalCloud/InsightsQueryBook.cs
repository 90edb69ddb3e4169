using System.Globalization;
using System.Text;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// Logs Insights queries without I/O, on the shared clock. StartQuery takes the events of the log groups visible at
/// that instant (<see cref="IngestedEvent.VisibleAt"/>) whose timestamp lies in [startTime x 1000, endTime x 1000] ms:
/// AWS documents startTime and endTime as epoch seconds, "the range is inclusive", without saying whether endTime
/// includes the milliseconds of its second; the harsher, narrower reading is modelled, so a caller that needs the
/// events of the last second must ask for endTime + 1 and filter on <c>toMillis(@timestamp)</c>. A query is
/// Scheduled for <see cref="ScheduledFor"/>, then Running for <see cref="RunningFor"/> plus
/// <see cref="RunningPerMillionRecords"/>, then Complete. While Running, GetQueryResults answers partial results (AWS:
/// "If the value of the Status field in the output is Running, this operation returns only partial results"): those of
/// the share of the scanned events that the elapsed running time stands for, counts included.
/// </summary>
/// <remarks>
/// Concurrency: the API reference said "You can have up to 30 concurrent CloudWatch Logs insights queries" (botocore
/// 1.43's model now says 100): the harsher 30 is modelled; a 31st Scheduled or Running query is LimitExceededException.
/// Queries time out after 60 minutes of runtime in AWS; emulated queries finish in seconds, so the timeout is not modelled.
/// </remarks>
internal sealed class InsightsQueryBook(TimeProvider clock, VerificationReadStats stats, IngestionLog ingestion)
{
    public const int MaxConcurrentQueries = 30;

    public static readonly TimeSpan ScheduledFor = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan RunningFor = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan RunningPerMillionRecords = TimeSpan.FromSeconds(10);

    /// <summary>The most rows one GetQueryResults page holds ("each page returning up to 10,000 log events").</summary>
    public const int MaxPageItems = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _queries = new(StringComparer.Ordinal);

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The bytes of one event a query scans and AWS bills: the UTF-8 message plus 26 bytes, the size PutLogEvents counts
    /// per event. AWS does not say what it counts per event for bytesScanned; counting the overhead is the harsher
    /// (costlier) assumption.
    /// </summary>
    public static long EventBytes(IngestedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Encoding.UTF8.GetByteCount(e.Message) + 26;
    }

    /// <summary>Starts a query over existing log groups (checked by the caller) and returns its queryId.</summary>
    public string Start(StartQuerySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var query = InsightsQuery.Parse(spec.QueryString);
        lock (_lock)
        {
            var now = Now;
            if (_queries.Values.Count(q => q.IsActive(now)) >= MaxConcurrentQueries)
            {
                stats.QueryLimitExceeded();
                throw new ExportTaskException("LimitExceededException", $"Account maximum query concurrency limit of [{MaxConcurrentQueries}] reached.");
            }

            var (from, to) = (spec.StartTime * 1000, spec.EndTime * 1000);
            var scanned = spec.LogGroupNames
                .SelectMany(g => ingestion.Visible(g, now).Where(e => e.Timestamp >= from && e.Timestamp <= to).Select(e => (LogGroup: g, Event: e)))
                .ToList();
            var bytes = scanned.Sum(s => EventBytes(s.Event));
            var runningAt = now + (long)ScheduledFor.TotalMilliseconds;
            var completeAt = runningAt + (long)(RunningFor + (RunningPerMillionRecords * (scanned.Count / 1_000_000.0))).TotalMilliseconds;
            var id = Guid.NewGuid().ToString();
            _queries[id] = new Entry(query, spec, scanned, runningAt, completeAt);
            stats.QueryStarted(scanned.Count, bytes);
            return id;
        }
    }

    /// <summary>GetQueryResults: ResourceNotFoundException for an unknown id, InvalidParameterException for a bad token.</summary>
    public InsightsQueryPage Results(string queryId, string? nextToken, int? maxItems)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        stats.QueryResultsRead();
        Entry entry;
        long now;
        lock (_lock)
        {
            entry = _queries.TryGetValue(queryId, out var found) ? found : throw new ExportTaskException("ResourceNotFoundException", $"Query {queryId} does not exist.");
            now = Now;
        }

        var status = entry.Status(now);
        var share = status switch
        {
            "Scheduled" => 0,
            "Running" => (int)(entry.Scanned.Count * Math.Clamp((double)(now - entry.RunningAt) / Math.Max(1, entry.CompleteAt - entry.RunningAt), 0, 1)),
            "Cancelled" => entry.ScannedWhenCancelled,
            _ => entry.Scanned.Count,
        };
        var portion = entry.Scanned.Take(share).ToList();
        var (rows, matched) = status == "Cancelled" ? ([], 0) : entry.Query.Run(portion, entry.Spec.Limit);
        var offset = nextToken is null ? 0 : ParseToken(nextToken, queryId);
        var size = maxItems is null or 0 ? MaxPageItems : Math.Min(maxItems.Value, MaxPageItems);
        var page = rows.Skip(offset).Take(size).ToList();
        var token = status == "Complete" && offset + page.Count < rows.Count ? Token(queryId, offset + page.Count) : null;
        return new InsightsQueryPage(
            status,
            page,
            matched,
            portion.Count,
            portion.Sum(s => EventBytes(s.Event)),
            status == "Complete" ? entry.Spec.LogGroupNames.Count : 0,
            token);
    }

    /// <summary>StopQuery: true when a Scheduled or Running query was cancelled; InvalidParameterException when it already ended.</summary>
    public bool Stop(string queryId)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        lock (_lock)
        {
            var entry = _queries.TryGetValue(queryId, out var found) ? found : throw new ExportTaskException("ResourceNotFoundException", $"Query {queryId} does not exist.");
            var now = Now;
            if (!entry.IsActive(now))
            {
                throw ExportTaskException.InvalidParameter($"Query {queryId} is not running.");
            }

            entry.CancelledAt = now;
            entry.ScannedWhenCancelled = now < entry.RunningAt ? 0 : (int)(entry.Scanned.Count * Math.Clamp((double)(now - entry.RunningAt) / Math.Max(1, entry.CompleteAt - entry.RunningAt), 0, 1));
            stats.QueryStopped();
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _queries.Clear();
        }
    }

    private static string Token(string queryId, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"q1|{queryId}|{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static int ParseToken(string token, string queryId)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            if (parts is ["q1", var id, var offset] && id == queryId && int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        catch (FormatException)
        {
        }

        throw ExportTaskException.InvalidParameter("The specified nextToken is invalid.");
    }

    private sealed class Entry(InsightsQuery query, StartQuerySpec spec, IReadOnlyList<(string LogGroup, IngestedEvent Event)> scanned, long runningAt, long completeAt)
    {
        public InsightsQuery Query { get; } = query;

        public StartQuerySpec Spec { get; } = spec;

        public IReadOnlyList<(string LogGroup, IngestedEvent Event)> Scanned { get; } = scanned;

        public long RunningAt { get; } = runningAt;

        public long CompleteAt { get; } = completeAt;

        public long? CancelledAt { get; set; }

        public int ScannedWhenCancelled { get; set; }

        public bool IsActive(long now) => Status(now) is "Scheduled" or "Running";

        public string Status(long now) =>
            CancelledAt is not null ? "Cancelled"
            : now < RunningAt ? "Scheduled"
            : now < CompleteAt ? "Running"
            : "Complete";
    }
}
