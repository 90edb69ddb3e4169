using System.Globalization;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>An export task holds only the events of its range available at its creation.</summary>
public sealed class ExportAvailabilityTests
{
    private const string Group = "/vpc/flow-logs";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T15:00:00Z", CultureInfo.InvariantCulture));
    private readonly IngestionLog _ingestion;
    private readonly ExportTaskBook _book;

    public ExportAvailabilityTests()
    {
        _ingestion = new IngestionLog(_clock);
        _book = new ExportTaskBook(_clock, ExportTaskTiming.Fixed(TimeSpan.Zero, TimeSpan.FromSeconds(1)), new ExportTaskStats(), _ingestion);
    }

    private static EmulatedExportTaskSpec Spec() => new("t", Group, null, 0, 10_000, "bucket", "exportedlogs");

    private IReadOnlyList<IngestedEvent> Export()
    {
        _book.Create(Spec());
        _clock.Advance(TimeSpan.FromSeconds(2));
        var due = Assert.Single(_book.TakeDue());
        _book.Finish(due.TaskId, null);
        return due.Events;
    }

    [Fact]
    public void Create_LagOff_ExportsEveryEventIngestedAtOrBeforeCreation()
    {
        _ingestion.Append(Group, "eni-a-all", [(1_000, "one"), (2_000, "two")]);

        Assert.Equal(["one", "two"], Export().Select(e => e.Message));
    }

    [Fact]
    public void Create_EventNotYetAvailable_NotExportedAndAFollowingTaskExportsItOnceAvailable()
    {
        _ingestion.ExportLag = AvailabilityLag.ForExport(TimeSpan.FromHours(2));
        _ingestion.Append(Group, "eni-a-all", Enumerable.Range(0, 200).Select(i => (1_000L + i, "m" + i)));
        var latest = _ingestion.Events(Group).MaxBy(e => e.AvailableAt)!;
        Assert.True(latest.AvailableAt - latest.IngestedAt > 30_000, "a tail event must lag more than the bulk");

        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(latest.AvailableAt - 2_001));
        var early = Export();
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(latest.AvailableAt));
        var later = Export();

        Assert.DoesNotContain(latest, early);
        Assert.Equal(199, early.Count);
        Assert.Contains(latest, later);
        Assert.Equal(200, later.Count);
    }

    [Fact]
    public void Create_AtTheIngestionInstantWithALag_ExportsOnlyTheEventsAvailableThen()
    {
        _ingestion.ExportLag = AvailabilityLag.ForExport(TimeSpan.FromMinutes(30));
        _ingestion.Append(Group, "eni-a-all", Enumerable.Range(0, 100).Select(i => (1_000L + i, "m" + i)));
        var createdAt = _clock.NowMillis;

        var exported = Export();

        Assert.Equal(_ingestion.Events(Group).Where(e => e.AvailableAt <= createdAt), exported);
        Assert.InRange(exported.Count, 0, 5);
    }
}
