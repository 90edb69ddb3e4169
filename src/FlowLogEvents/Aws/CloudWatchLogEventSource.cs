using System.Globalization;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Aws;

/// <summary>
/// CloudWatch Logs' record of a log group for the verification: counts per stream from one Logs Insights query
/// (<c>stats count(*) by @logStream</c>, billed per GB scanned), a stream's events from FilterLogEvents (only for a stream
/// that fell short).
/// </summary>
public sealed class CloudWatchLogEventSource(ICloudWatchLogsClient logs, TimeProvider time) : ILogEventSource
{
    /// <summary>The IAM actions of the operations this adapter calls.</summary>
    public static IReadOnlyList<string> RequiredActions { get; } = [IamActions.LogsFilterLogEvents, IamActions.LogsGetQueryResults, IamActions.LogsStartQuery, IamActions.LogsStopQuery];

    /// <summary>Logs Insights returns at most this many rows: a count with as many rows may have left streams out.</summary>
    public const int MaxRows = 10_000;

    /// <summary>The field the query names the count.</summary>
    public const string CountField = "events";

    /// <summary>The first pause before GetQueryResults; it doubles after each answer that the query still runs, up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan FirstPoll { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one count may run before it is stopped and the window checked again later.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The query: the millisecond bounds are filtered exactly (StartQuery's range is in seconds, so it is widened to
    /// whole seconds around the window and the filter cuts it back).
    /// </summary>
    public static string CountQuery(long first, long last) => string.Create(
        CultureInfo.InvariantCulture,
        $"filter toMillis(@timestamp) >= {first} and toMillis(@timestamp) <= {last} | stats count(*) as {CountField} by @logStream | limit {MaxRows}");

    public async Task<StreamCounts> CountByStreamAsync(string logGroup, long first, long last, CancellationToken ct)
    {
        var queryId = await logs.StartQueryAsync(
            new StartQueryRequest
            {
                LogGroupName = logGroup,
                StartTime = first / 1000,
                EndTime = (last / 1000) + 1,
                QueryString = CountQuery(first, last),
            },
            ct).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var pause = FirstPoll;
        while (true)
        {
            await Task.Delay(pause, time, ct).ConfigureAwait(false);
            pause = pause * 2 < MaxPollInterval ? pause * 2 : MaxPollInterval;
            var answer = await logs.GetQueryResultsAsync(queryId, ct).ConfigureAwait(false);
            switch (answer.Status)
            {
                case "Complete":
                    return Counts(answer, logGroup);
                case "Scheduled" or "Running":
                    break;
                default:
                    throw new VerificationSourceException($"Logs Insights query {queryId} of '{logGroup}' ended {answer.Status ?? "without a status"}");
            }

            if (time.GetElapsedTime(started) >= MaxWait)
            {
                await logs.StopQueryAsync(queryId, ct).ConfigureAwait(false);
                throw new VerificationSourceException($"Logs Insights query {queryId} of '{logGroup}' still {answer.Status} after {MaxWait.TotalSeconds} s; stopped");
            }
        }
    }

    public async Task<IReadOnlyList<LogEventKey>> ReadStreamAsync(string logGroup, string logStream, long first, long last, CancellationToken ct)
    {
        var events = new List<LogEventKey>();
        string? token = null;
        do
        {
            var page = await logs.FilterLogEventsAsync(
                new FilterLogEventsRequest { LogGroupName = logGroup, LogStreamNames = [logStream], StartTime = first, EndTime = last, NextToken = token, Limit = 10_000 },
                ct).ConfigureAwait(false);
            events.AddRange(page.Events
                .Where(e => e.LogStreamName == logStream && e.Timestamp >= first && e.Timestamp <= last)
                .Select(e => new LogEventKey(e.Timestamp, e.Message)));
            token = page.NextToken == token ? null : page.NextToken;
        }
        while (token is not null);

        return events;
    }

    private static StreamCounts Counts(GetQueryResultsResponse answer, string logGroup)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in answer.Results)
        {
            var stream = row.FirstOrDefault(f => f.Field == "@logStream")?.Value;
            var count = row.FirstOrDefault(f => f.Field == CountField)?.Value;
            if (stream is null || !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new VerificationSourceException($"Logs Insights count of '{logGroup}' has a row without @logStream and a whole {CountField}");
            }

            counts[stream] = counts.GetValueOrDefault(stream) + n;
        }

        return new StreamCounts(counts, answer.Statistics?.BytesScanned ?? 0, answer.Results.Count < MaxRows);
    }
}
