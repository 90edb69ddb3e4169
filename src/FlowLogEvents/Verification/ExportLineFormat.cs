using System.Globalization;

namespace FlowLogEvents.Verification;

/// <summary>
/// The line format of CloudWatch Logs' export objects, which repairs write too: <c>&lt;yyyy-MM-ddTHH:mm:ss.fffZ&gt; &lt;message&gt;</c>,
/// the event's timestamp in UTC with milliseconds, one space, the message as it was ingested.
/// </summary>
public static class ExportLineFormat
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Characters of the timestamp before the space.</summary>
    public const int TimestampLength = 24;

    public static string Format(LogEventKey e) =>
        DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture) + " " + e.Message;

    /// <summary>Reads one exported line; false when it does not start with the timestamp and a space.</summary>
    public static bool TryParse(string line, out LogEventKey e)
    {
        ArgumentNullException.ThrowIfNull(line);
        e = default;
        if (line.Length < TimestampLength + 1 || line[TimestampLength] != ' '
            || !DateTime.TryParseExact(line.AsSpan(0, TimestampLength), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant))
        {
            return false;
        }

        e = new LogEventKey(new DateTimeOffset(instant, TimeSpan.Zero).ToUnixTimeMilliseconds(), line[(TimestampLength + 1)..]);
        return true;
    }
}
