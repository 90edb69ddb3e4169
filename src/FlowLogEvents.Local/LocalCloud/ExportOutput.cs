using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The objects CloudWatch Logs writes for an export task, without I/O: <c>&lt;prefix&gt;/aws-logs-write-test</c> when the
/// task is created, then <c>&lt;prefix&gt;/&lt;taskId&gt;/&lt;logStreamName&gt;/000000.gz</c> (000001.gz, ... past
/// <c>maxLinesPerFile</c>) with one line per event, <c>&lt;yyyy-MM-ddTHH:mm:ss.fffZ&gt; &lt;message&gt;</c>.
/// </summary>
/// <remarks>
/// Not sorted: the user guide says "Time-based sorting on chunks of log data inside an exported file is not guaranteed."
/// The harsher reading is modelled: a stream's events are shuffled (seeded by the task id, so a task's output is
/// reproducible) before they are cut into files, so neither the lines of a file nor the files of a stream are in time order.
/// </remarks>
internal static class ExportOutput
{
    public const int DefaultMaxLinesPerFile = 100_000;
    public const string WriteTestName = "aws-logs-write-test";
    public const string WriteTestContent = "Permission Check Successful";

    public static string WriteTestKey(string destinationPrefix) => $"{destinationPrefix}/{WriteTestName}";

    public static string Line(long timestamp, string message) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " " + message;

    public static IEnumerable<ExportObject> Files(string destinationPrefix, string taskId, IEnumerable<IngestedEvent> events, int maxLinesPerFile = DefaultMaxLinesPerFile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerFile, 1);
        foreach (var stream in events.GroupBy(e => e.LogStreamName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var index = 0;
            foreach (var chunk in Shuffled(stream, taskId).Chunk(maxLinesPerFile))
            {
                var key = $"{destinationPrefix}/{taskId}/{stream.Key}/{index++.ToString("D6", CultureInfo.InvariantCulture)}.gz";
                yield return new ExportObject(key, Gzip(chunk));
            }
        }
    }

    private static IngestedEvent[] Shuffled(IEnumerable<IngestedEvent> events, string taskId)
    {
        // Sorted first, so the outcome depends only on the task id and the set of events, not on their ingestion order.
        var array = events.OrderBy(e => e.Timestamp).ThenBy(e => e.Message, StringComparer.Ordinal).ToArray();
        var seed = 17;
        foreach (var c in taskId)
        {
            seed = unchecked((seed * 31) + c);
        }

#pragma warning disable CA5394 // A seeded, reproducible shuffle is the point; nothing here is security relevant.
        new Random(seed).Shuffle(array);
#pragma warning restore CA5394
        return array;
    }

    private static byte[] Gzip(IEnumerable<IngestedEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" })
        {
            foreach (var e in events)
            {
                writer.WriteLine(Line(e.Timestamp, e.Message));
            }
        }

        return buffer.ToArray();
    }
}
