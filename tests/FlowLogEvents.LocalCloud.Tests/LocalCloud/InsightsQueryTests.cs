using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>The Logs Insights subset the front runs: what parses, what is malformed, and what a query counts.</summary>
public sealed class InsightsQueryTests
{
    private const string ProductQuery = "filter toMillis(@timestamp) >= 1764168300000 and toMillis(@timestamp) <= 1764169199999 | stats count(*) as events by @logStream | limit 10000";

    private static (string, IngestedEvent) Event(string stream, long timestamp, string message = "m") => ("/vpc/a", new IngestedEvent(stream, timestamp, message, 0) { Sequence = timestamp });

    internal static IEnumerable<string> Rows(IEnumerable<IReadOnlyList<InsightsResultField>> rows) =>
        rows.Select(r => string.Join(' ', r.Select(f => f.Field + "=" + f.Value)));

    [Fact]
    public void Parse_TheProductsCountQuery_TwoTimestampBoundsCountByStreamAndLimit()
    {
        var query = InsightsQuery.Parse(ProductQuery);

        Assert.Equal([new InsightsCondition("@timestamp", ">=", 1_764_168_300_000, null), new InsightsCondition("@timestamp", "<=", 1_764_169_199_999, null)], query.Filters);
        Assert.Equal(("events", true, 10_000), (query.CountName, query.ByLogStream, query.Limit));
    }

    [Fact]
    public void Run_TheProductsCountQuery_CountsEachStreamsEventsInsideTheInclusiveBounds()
    {
        var query = InsightsQuery.Parse(ProductQuery);
        (string, IngestedEvent)[] scanned =
        [
            Event("eni-a", 1_764_168_299_999), Event("eni-a", 1_764_168_300_000), Event("eni-b", 1_764_168_700_000),
            Event("eni-a", 1_764_169_199_999), Event("eni-b", 1_764_169_200_000),
        ];

        var (rows, matched) = query.Run(scanned, 10_000);

        Assert.Equal(3, matched);
        Assert.Equal(["@logStream=eni-a events=2", "@logStream=eni-b events=1"], Rows(rows));
    }

    [Fact]
    public void Run_FieldsOfOneStreamSortedAscending_RowsWithRenderedTimestampAndPtr()
    {
        var query = InsightsQuery.Parse("fields @timestamp, @message | filter @logStream = 'eni-b' | sort @timestamp asc | limit 1");

        var (rows, matched) = query.Run([Event("eni-a", 1_000), Event("eni-b", 3_000, "late"), Event("eni-b", 2_000, "early")], 10_000);

        Assert.Equal(2, matched);
        var row = Assert.Single(rows);
        Assert.Equal([("@timestamp", "1970-01-01 00:00:02.000"), ("@message", "early")], row.Take(2).Select(f => (f.Field, f.Value)));
        Assert.Equal("@ptr", row[2].Field);
    }

    [Fact]
    public void Run_StatsWithoutBy_OneRowNamedCountStar()
    {
        var (rows, _) = InsightsQuery.Parse("stats count(*)").Run([Event("eni-a", 1), Event("eni-b", 2)], 10_000);

        Assert.Equal(["count(*)=2"], Rows(rows));
    }

    [Theory]
    [InlineData("parse @message '* *' as a, b", "Query is malformed: command 'parse' is not supported (the local cloud runs filter, stats, fields, sort and limit)")]
    [InlineData("filter @message like /REJECT/", "Query is malformed: filter condition '@message like /REJECT/' is not supported (compare @timestamp or toMillis(@timestamp) with a number, or @logStream with a quoted string)")]
    [InlineData("filter toMillis(@timestamp) >= 1 or toMillis(@timestamp) <= 2", "Query is malformed: @timestamp must be compared with epoch milliseconds, not '1 or toMillis(@timestamp) <= 2'")]
    [InlineData("filter @timestamp >= yesterday", "Query is malformed: @timestamp must be compared with epoch milliseconds, not 'yesterday'")]
    [InlineData("filter @logStream > 'a'", "Query is malformed: @logStream can only be compared with '=', not '>'")]
    [InlineData("filter @logStream = eni-a", "Query is malformed: @logStream must be compared with a quoted string, not 'eni-a'")]
    [InlineData("stats sum(bytes) by @logStream", "Query is malformed: stats 'sum(bytes) by @logStream' is not supported (the local cloud runs stats count(*) [as name] [by @logStream])")]
    [InlineData("stats count(*) by @message", "Query is malformed: stats can only be grouped by @logStream, not '@message'")]
    [InlineData("stats count(*) | stats count(*)", "Query is malformed: more than one stats command")]
    [InlineData("fields @bytes", "Query is malformed: field '@bytes' is not supported (known: @timestamp, @message, @logStream, @log, @ingestionTime)")]
    [InlineData("stats count(*) as n | sort @timestamp", "Query is malformed: sort field '@timestamp' is not a field of the results")]
    [InlineData("limit 10001", "Query is malformed: limit must be an integer from 1 to 10000, not '10001'")]
    [InlineData("limit 0", "Query is malformed: limit must be an integer from 1 to 10000, not '0'")]
    [InlineData("filter @logStream = 'eni", "Query is malformed: unterminated string")]
    [InlineData("stats count(*) || limit 5", "Query is malformed: empty command between pipes")]
    public void Parse_OutsideTheSubset_MalformedQueryNamingTheProblem(string queryString, string message)
    {
        var error = Assert.Throws<ExportTaskException>(() => InsightsQuery.Parse(queryString));

        Assert.Equal(("MalformedQueryException", message), (error.Code, error.Message));
    }

    [Fact]
    public void Parse_QuotedStreamNameContainingAndAndPipe_OneCondition()
    {
        var query = InsightsQuery.Parse("filter @logStream = \"a and | b\" and @timestamp > 5");

        Assert.Equal([new InsightsCondition("@logStream", "=", null, "a and | b"), new InsightsCondition("@timestamp", ">", 5, null)], query.Filters);
    }
}
