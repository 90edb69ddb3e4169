using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace FlowLogEvents.Verification;

/// <summary>
/// Where and how a repair is written: beside the window's task output under the log group's export prefix, as
/// <c>&lt;prefix&gt;/&lt;log group&gt;/repair-&lt;from&gt;-&lt;to&gt;/&lt;stream&gt;/000000.gz</c> (then 000001.gz, ... for later
/// repairs of the same stream and window), gzip text in the export line format. A consumer that reads every
/// <c>&lt;folder&gt;/&lt;stream&gt;/*.gz</c> under the prefix reads a repair as one more task's output. Keys are deterministic
/// and written create-only, so a crash or a second runner never writes one repair twice.
/// </summary>
public static class RepairLayout
{
    public const string FolderPrefix = "repair-";

    /// <summary>The folder of one window's repairs: <c>repair-&lt;from&gt;-&lt;to&gt;</c> (epoch ms, inclusive bounds).</summary>
    public static string Folder(long from, long to) => string.Create(CultureInfo.InvariantCulture, $"{FolderPrefix}{from}-{to}");

    public static string Key(string destinationPrefix, long from, long to, string logStream, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{destinationPrefix}/{Folder(from, to)}/{logStream}/{index:D6}.gz");

    /// <summary>The file index of a key under <c>&lt;folder&gt;/&lt;stream&gt;/</c>, or null when the name is not <c>NNNNNN.gz</c>.</summary>
    public static int? FileIndex(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.Length == 9 && name.EndsWith(".gz", StringComparison.Ordinal) && int.TryParse(name.AsSpan(0, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>The object's bytes: one line per event, in timestamp order, gzip.</summary>
    public static byte[] Content(IEnumerable<LogEventKey> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.NewLine = "\n";
            foreach (var e in events.OrderBy(e => e.Timestamp).ThenBy(e => e.Message, StringComparer.Ordinal))
            {
                writer.WriteLine(ExportLineFormat.Format(e));
            }
        }

        return buffer.ToArray();
    }
}
