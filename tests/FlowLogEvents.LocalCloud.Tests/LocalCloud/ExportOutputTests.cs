using System.IO.Compression;
using System.Text;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud;

public sealed class ExportOutputTests
{
    private static string Gunzip(byte[] content)
    {
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Line_EpochMillis_IsUtcIsoWithMillisecondsThenMessage()
    {
        Assert.Equal("2026-11-26T14:59:25.007Z 2 123456789012 eni-0a1b 10.0.0.5", ExportOutput.Line(1795705165007, "2 123456789012 eni-0a1b 10.0.0.5"));
    }

    [Fact]
    public void Files_StreamsAndThreshold_OneFolderPerStreamAndSplitAtMaxLines()
    {
        IngestedEvent[] events =
        [
            new("eni-b-all", 3_000, "b3", 0),
            new("eni-a-all", 2_000, "a2", 0),
            new("eni-b-all", 1_000, "b1", 0),
            new("eni-b-all", 2_000, "b2", 0),
        ];

        var files = ExportOutput.Files("exports", "task-1", events, maxLinesPerFile: 2).ToList();

        Assert.Equal(
            ["exports/task-1/eni-a-all/000000.gz", "exports/task-1/eni-b-all/000000.gz", "exports/task-1/eni-b-all/000001.gz"],
            files.Select(f => f.Key));
        Assert.Equal("1970-01-01T00:00:02.000Z a2\n", Gunzip(files[0].Content));
        Assert.Equal([2, 1], files.Skip(1).Select(f => Lines(f).Length));
        Assert.Equal(
            ["1970-01-01T00:00:01.000Z b1", "1970-01-01T00:00:02.000Z b2", "1970-01-01T00:00:03.000Z b3"],
            files.Skip(1).SelectMany(Lines).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Files_ManyEventsOfOneStream_LinesAreNotInTimeOrderButEveryEventIsWrittenOnce()
    {
        var events = Enumerable.Range(0, 1_000).Select(i => new IngestedEvent("eni-a-all", 1_000L * i, "m" + i, 0)).ToList();

        var files = ExportOutput.Files("exports", "task-7", events, maxLinesPerFile: 400).ToList();
        var lines = files.SelectMany(Lines).ToList();

        // "Time-based sorting on chunks of log data inside an exported file is not guaranteed": within a file and across files.
        Assert.Equal(3, files.Count);
        Assert.NotEqual(lines.Order(StringComparer.Ordinal), lines);
        Assert.All(files, f => Assert.NotEqual(Lines(f).Order(StringComparer.Ordinal), Lines(f)));
        Assert.Equal(events.Select(e => ExportOutput.Line(e.Timestamp, e.Message)).Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.Equal(lines, ExportOutput.Files("exports", "task-7", Enumerable.Reverse(events), maxLinesPerFile: 400).SelectMany(Lines));
    }

    private static string[] Lines(ExportObject file) => Gunzip(file.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Files_NoEvents_WritesNothing()
    {
        Assert.Empty(ExportOutput.Files("exports", "task-1", []));
        Assert.Equal("exports/aws-logs-write-test", ExportOutput.WriteTestKey("exports"));
    }
}
