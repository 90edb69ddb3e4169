using System.Globalization;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>Logs Insights queries on the shared clock: status, partial and final results, read lag, time range, concurrency, stop.</summary>
public sealed class InsightsQueryBookTests
{
    private const string Group = "/vpc/a";
    private const string CountQuery = "filter toMillis(@timestamp) >= 1764168300000 and toMillis(@timestamp) <= 1764169199999 | stats count(*) as events by @logStream | limit 10000";
    private const long WindowStart = 1_764_168_300_000;

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T15:00:00Z", CultureInfo.InvariantCulture));
    private readonly VerificationReadStats _stats = new();
    private readonly IngestionLog _ingestion;
    private readonly InsightsQueryBook _book;

    public InsightsQueryBookTests()
    {
        _ingestion = new IngestionLog(_clock);
        _book = new InsightsQueryBook(_clock, _stats, _ingestion);
    }

    private static StartQuerySpec Spec(string query = CountQuery, long start = WindowStart / 1000, long end = (WindowStart / 1000) + 900) => new([Group], start, end, query, 10_000);

    private void IngestWindow(int perStream = 10)
    {
        // Two streams, events 30 s apart from the window start; "record-00" messages are 9 bytes.
        foreach (var stream in new[] { "eni-a-all", "eni-b-all" })
        {
            _ingestion.Append(Group, stream, Enumerable.Range(0, perStream).Select(i => (WindowStart + (i * 30_000L), $"record-{i:D2}")));
        }
    }

    [Fact]
    public void Results_ThroughTheQuerysLife_ScheduledThenRunningWithPartialCountsThenCompleteWithAllOfThem()
    {
        IngestWindow();
        var id = _book.Start(Spec());

        var scheduled = _book.Results(id, null, null);
        _clock.Advance(InsightsQueryBook.ScheduledFor + (InsightsQueryBook.RunningFor / 2));
        var running = _book.Results(id, null, null);
        _clock.Advance(InsightsQueryBook.RunningFor);
        var complete = _book.Results(id, null, null);

        Assert.Equal(("Scheduled", 0, 0.0, 0.0), (scheduled.Status, scheduled.Results.Count, scheduled.RecordsScanned, scheduled.BytesScanned));
        Assert.Equal(("Running", 10.0, 10.0), (running.Status, running.RecordsScanned, running.RecordsMatched));
        Assert.Equal(["@logStream=eni-a-all events=10"], InsightsQueryTests.Rows(running.Results));
        Assert.Equal(("Complete", 20.0, 20.0, 20 * (9.0 + 26), 1.0, (string?)null), (complete.Status, complete.RecordsMatched, complete.RecordsScanned, complete.BytesScanned, complete.LogGroupsScanned, complete.NextToken));
        Assert.Equal(["@logStream=eni-a-all events=10", "@logStream=eni-b-all events=10"], InsightsQueryTests.Rows(complete.Results));
        Assert.Equal((1L, 20L, 20L * 35, 3L), (_stats.QueriesStarted, _stats.QueryRecordsScanned, _stats.QueryBytesScanned, _stats.GetQueryResultsCalls));
    }

    [Fact]
    public void Start_EventsNotYetVisible_NotCountedAndALaterQueryCountsThem()
    {
        _ingestion.ReadLag = AvailabilityLag.ForReads(TimeSpan.FromMinutes(2));
        IngestWindow(perStream: 30);
        var visibleNow = _ingestion.Events(Group).Count(e => e.VisibleAt <= _clock.NowMillis);

        var early = _book.Start(Spec());
        _clock.Advance(TimeSpan.FromMinutes(2));
        var late = _book.Start(Spec());
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal((double)visibleNow, _book.Results(early, null, null).RecordsMatched);
        Assert.InRange(visibleNow, 0, 10);
        Assert.Equal(60.0, _book.Results(late, null, null).RecordsMatched);
    }

    [Fact]
    public void Start_EndTimeInSeconds_CoversOnlyTheFirstMillisecondOfTheEndSecond()
    {
        _ingestion.Append(Group, "eni-a-all", [(1_000_000, "at"), (1_000_001, "one ms after"), (999_999, "before")]);

        var id = _book.Start(new StartQuerySpec([Group], 1_000, 1_000, "stats count(*)", 10_000));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["count(*)=1"], InsightsQueryTests.Rows(_book.Results(id, null, null).Results));
    }

    [Fact]
    public void Start_ThirtyQueriesActive_TheThirtyFirstIsLimitExceededUntilOneCompletes()
    {
        for (var i = 0; i < InsightsQueryBook.MaxConcurrentQueries; i++)
        {
            _book.Start(Spec());
        }

        var error = Assert.Throws<ExportTaskException>(() => _book.Start(Spec()));
        _clock.Advance(InsightsQueryBook.ScheduledFor + InsightsQueryBook.RunningFor);
        var afterwards = _book.Start(Spec());

        Assert.Equal(("LimitExceededException", "Account maximum query concurrency limit of [30] reached."), (error.Code, error.Message));
        Assert.Equal("Scheduled", _book.Results(afterwards, null, null).Status);
        Assert.Equal(1L, _stats.QueriesLimitExceeded);
    }

    [Fact]
    public void Stop_RunningQuery_CancelledWithoutResultsAndASecondStopIsInvalid()
    {
        IngestWindow();
        var id = _book.Start(Spec());
        _clock.Advance(InsightsQueryBook.ScheduledFor);

        var stopped = _book.Stop(id);
        var again = Assert.Throws<ExportTaskException>(() => _book.Stop(id));
        var page = _book.Results(id, null, null);

        Assert.True(stopped);
        Assert.Equal(("InvalidParameterException", $"Query {id} is not running."), (again.Code, again.Message));
        Assert.Equal(("Cancelled", 0), (page.Status, page.Results.Count));
    }

    [Fact]
    public void ResultsAndStop_UnknownQueryId_ResourceNotFound()
    {
        Assert.Equal("ResourceNotFoundException", Assert.Throws<ExportTaskException>(() => _book.Results("nope", null, null)).Code);
        Assert.Equal("ResourceNotFoundException", Assert.Throws<ExportTaskException>(() => _book.Stop("nope")).Code);
    }

    [Fact]
    public void Results_MoreRowsThanMaxItems_PagesWithATokenThatCoversEveryRowOnce()
    {
        IngestWindow(perStream: 3);
        var id = _book.Start(Spec("fields @message | sort @timestamp asc"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var first = _book.Results(id, null, 4);
        var second = _book.Results(id, first.NextToken, 4);

        Assert.Equal((4, 2, (string?)null), (first.Results.Count, second.Results.Count, second.NextToken));
        Assert.Equal(6, first.Results.Concat(second.Results).Select(r => r.Single(f => f.Field == "@ptr").Value).Distinct().Count());
        Assert.Equal("InvalidParameterException", Assert.Throws<ExportTaskException>(() => _book.Results(id, "bm90IGEgdG9rZW4=", null)).Code);
    }
}
