using System.Globalization;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>FilterLogEvents from the ingestion log: AWS's order, page bounds, partially full and empty pages, tokens, read lag.</summary>
public sealed class FilterLogEventsPagerTests
{
    private const string Group = "/vpc/a";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T15:00:00Z", CultureInfo.InvariantCulture));
    private readonly IngestionLog _ingestion;
    private readonly FilterLogEventsPager _pager;

    public FilterLogEventsPagerTests()
    {
        _ingestion = new IngestionLog(_clock);
        _pager = new FilterLogEventsPager(_clock, _ingestion);
    }

    private static FilterLogEventsSpec Spec(string? token = null, int limit = 10_000, IReadOnlyList<string>? streams = null, long? start = null, long? end = null) =>
        new(Group, streams, null, start, end, token, limit);

    /// <summary>Every page from the first to the one without a token.</summary>
    private List<FilterLogEventsPage> AllPages(FilterLogEventsSpec spec)
    {
        var pages = new List<FilterLogEventsPage> { _pager.Page(spec) };
        while (pages[^1].NextToken is { } token)
        {
            pages.Add(_pager.Page(spec with { NextToken = token }));
        }

        return pages;
    }

    [Fact]
    public void Page_EventsOfTwoStreams_SortedByTimestampThenIngestionWithinTheInclusiveRangeAndNoToken()
    {
        _ingestion.Append(Group, "eni-b", [(3_000, "b3"), (1_000, "b1")]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _ingestion.Append(Group, "eni-a", [(1_000, "a1"), (5_000, "a5"), (999, "a0")]);

        var page = _pager.Page(Spec(start: 1_000, end: 3_000));

        Assert.Equal(["b1", "a1", "b3"], page.Events.Select(e => e.Message));
        Assert.Null(page.NextToken);
    }

    [Fact]
    public void Page_LimitSmallerThanTheEvents_PagesOfTheLimitCoveringEveryEventOnce()
    {
        _ingestion.Append(Group, "eni-a", Enumerable.Range(0, 25).Select(i => ((long)i, "m" + i)));

        var pages = AllPages(Spec(limit: 10));

        Assert.Equal([10, 10, 5], pages.Select(p => p.Events.Count));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => "m" + i), pages.SelectMany(p => p.Events).Select(e => e.Message));
    }

    [Fact]
    public void Page_OneStreamOfALargeGroup_EmptyPagesWithATokenBeforeItsEvents()
    {
        // 12,000 events of another stream come first in time: the first page scans 10,000 of them and finds none.
        _ingestion.Append(Group, "eni-other", Enumerable.Range(0, 12_000).Select(i => ((long)i, "o")));
        _ingestion.Append(Group, "eni-a", [(20_000L, "mine")]);

        var pages = AllPages(Spec(streams: ["eni-a"]));

        Assert.Equal([0, 1], pages.Select(p => p.Events.Count));
        Assert.NotNull(pages[0].NextToken);
        Assert.Equal("mine", pages[1].Events.Single().Message);
    }

    [Fact]
    public void Page_MoreThanOneMegabyte_StopsBeforeTheEventThatWouldPassIt()
    {
        var message = new string('x', 1_000 - 26);
        _ingestion.Append(Group, "eni-a", Enumerable.Range(0, 1_100).Select(i => ((long)i, message)));

        var pages = AllPages(Spec());

        Assert.Equal([1_048, 52], pages.Select(p => p.Events.Count));
    }

    [Fact]
    public void Page_EventNotYetVisible_ExcludedUntilItsReadLagHasPassed()
    {
        _ingestion.ReadLag = AvailabilityLag.ForReads(TimeSpan.FromMinutes(2));
        _ingestion.Append(Group, "eni-a", Enumerable.Range(0, 100).Select(i => ((long)i, "m" + i)));
        var visibleNow = _ingestion.Events(Group).Count(e => e.VisibleAt <= _clock.NowMillis);

        var now = _pager.Page(Spec());
        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = _pager.Page(Spec());

        Assert.Equal(visibleNow, now.Events.Count);
        Assert.InRange(visibleNow, 0, 10);
        Assert.Equal(100, later.Events.Count);
    }

    [Fact]
    public void Page_TokenOfAnotherGroupOrExpired_InvalidParameter()
    {
        _ingestion.Append(Group, "eni-a", Enumerable.Range(0, 3).Select(i => ((long)i, "m")));
        _ingestion.Append("/vpc/b", "eni-a", Enumerable.Range(0, 3).Select(i => ((long)i, "m")));
        var token = _pager.Page(Spec(limit: 1)).NextToken!;

        var otherGroup = Assert.Throws<ExportTaskException>(() => _pager.Page(Spec(token) with { LogGroupName = "/vpc/b" }));
        _clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var expired = Assert.Throws<ExportTaskException>(() => _pager.Page(Spec(token)));

        Assert.Equal(("InvalidParameterException", "The specified nextToken is invalid."), (otherGroup.Code, otherGroup.Message));
        Assert.Equal(("InvalidParameterException", "The specified nextToken has expired."), (expired.Code, expired.Message));
    }
}
