using System.Globalization;
using System.Text;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// FilterLogEvents over the ingestion log, without I/O: the events of the group visible now (<see cref="IngestedEvent.VisibleAt"/>)
/// in AWS's order ("sorted by event timestamp, the timestamp when the event was ingested by CloudWatch Logs, and the ID
/// of the PutLogEvents request"), paged as AWS documents and in its harsher reading: a page holds at most
/// <c>limit</c> events, at most 10,000 and at most 1 MB of events, and it scans at most <see cref="ScanPerPage"/> events
/// of the whole log group in the time range, so a request for a few streams of a large group gets partially full or
/// even empty pages with a nextToken ("A returned page might only be partially full, or even empty ... Partially full
/// or empty pages don't necessarily mean that pagination is finished"). The token holds the position of the last
/// event scanned: an event that becomes visible later behind that position is not seen by the later pages, as with
/// a real cursor. Tokens expire after 24 hours ("The token expires after 24 hours").
/// </summary>
internal sealed class FilterLogEventsPager(TimeProvider clock, IngestionLog ingestion)
{
    /// <summary>Events of the log group one page scans.</summary>
    public const int ScanPerPage = 10_000;

    /// <summary>"Each page returned can contain up to 1 MB of log events"; an event counts as its UTF-8 message plus 26 bytes.</summary>
    public const long MaxPageBytes = 1_048_576;

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The eventId of an event: 56 digits, unique and stable (timestamp, then arrival sequence).</summary>
    public static string EventId(IngestedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Timestamp.ToString("D24", CultureInfo.InvariantCulture) + e.Sequence.ToString("D32", CultureInfo.InvariantCulture);
    }

    public FilterLogEventsPage Page(FilterLogEventsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = Now;
        var after = spec.NextToken is null ? ((long, long, long)?)null : ParseToken(spec.NextToken, spec.LogGroupName, now);
        var from = spec.StartTime ?? long.MinValue;
        var to = spec.EndTime ?? long.MaxValue;
        var candidates = ingestion.Visible(spec.LogGroupName, now)
            .Where(e => e.Timestamp >= from && e.Timestamp <= to)
            .Where(e => after is not { } a || Compare(Key(e), a) > 0)
            .OrderBy(e => e.Timestamp).ThenBy(e => e.IngestedAt).ThenBy(e => e.Sequence)
            .ToList();
        var events = new List<IngestedEvent>();
        long bytes = 0;
        var scanned = 0;
        foreach (var e in candidates)
        {
            if (scanned == ScanPerPage || events.Count == spec.Limit)
            {
                break;
            }

            if (Selected(spec, e))
            {
                var size = InsightsQueryBook.EventBytes(e);
                if (bytes + size > MaxPageBytes && events.Count > 0)
                {
                    break;
                }

                bytes += size;
                events.Add(e);
            }

            scanned++;
        }

        var more = scanned < candidates.Count;
        return new FilterLogEventsPage(events, more ? Token(spec.LogGroupName, Key(candidates[scanned - 1]), now) : null);
    }

    private static bool Selected(FilterLogEventsSpec spec, IngestedEvent e) =>
        spec.LogStreamNames is { } names ? names.Contains(e.LogStreamName, StringComparer.Ordinal)
        : spec.LogStreamNamePrefix is not { } prefix || e.LogStreamName.StartsWith(prefix, StringComparison.Ordinal);

    private static (long, long, long) Key(IngestedEvent e) => (e.Timestamp, e.IngestedAt, e.Sequence);

    private static int Compare((long, long, long) a, (long, long, long) b) => a.CompareTo(b);

    private static string Token(string logGroup, (long Timestamp, long IngestedAt, long Sequence) key, long issued) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('|', "f1", logGroup, key.Timestamp.ToString(CultureInfo.InvariantCulture), key.IngestedAt.ToString(CultureInfo.InvariantCulture), key.Sequence.ToString(CultureInfo.InvariantCulture), issued.ToString(CultureInfo.InvariantCulture))));

    private static (long, long, long) ParseToken(string token, string logGroup, long now)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
        }
        catch (FormatException)
        {
            parts = [];
        }

        if (parts is ["f1", var group, var ts, var ingested, var sequence, var issued]
            && group == logGroup
            && long.TryParse(ts, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t)
            && long.TryParse(ingested, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
            && long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            && long.TryParse(issued, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var at))
        {
            return now - at <= (long)TokenLifetime.TotalMilliseconds
                ? (t, i, s)
                : throw ExportTaskException.InvalidParameter("The specified nextToken has expired.");
        }

        throw ExportTaskException.InvalidParameter("The specified nextToken is invalid.");
    }
}
