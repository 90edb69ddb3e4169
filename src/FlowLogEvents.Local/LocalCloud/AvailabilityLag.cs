using System.Globalization;
using System.Text;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// How long after its ingestion a log event becomes available to a reader of CloudWatch Logs: the export tasks
/// (<c>--availability-lag</c>) or the reads a verification makes, FilterLogEvents and Logs Insights (<c>--query-lag</c>).
/// Each event's lag is its own reproducible draw: a hash of <see cref="Salt"/>, its log group, stream, timestamp,
/// message and ordinal (the how-many-th identical event it is), never of the order of calls, so the same traffic gets
/// the same lags in every run and on every path. Spread: with probability 1 - <see cref="TailFraction"/> the lag is
/// uniform on [0, min(<see cref="Bulk"/>, <see cref="Maximum"/>)]; otherwise (the tail) uniform on [0, <see cref="Maximum"/>].
/// <see cref="Maximum"/> zero turns the lag off: every event is available at its ingestion instant.
/// </summary>
/// <remarks>
/// What AWS documents for exports: "Log data can take up to 12 hours to become available for export" (CloudWatch Logs
/// user guide, "Exporting log data to Amazon S3"), hence <see cref="MaxExportLag"/>; no distribution is published, so
/// most events within half a minute and a tenth spread up to the bound is our assumption. For FilterLogEvents and
/// Logs Insights AWS documents no delay at all between a successful PutLogEvents and an event being searchable; it
/// is eventually consistent in practice (users report about two minutes before a query sees fresh events), so the
/// harsher reading is modelled: a read lag too, up to <see cref="DefaultQueryLag"/> by default.
/// </remarks>
public sealed record AvailabilityLag(TimeSpan Maximum)
{
    /// <summary>AWS's documented bound for export availability: 12 hours (<c>--availability-lag</c> up to 720 minutes).</summary>
    public static readonly TimeSpan MaxExportLag = TimeSpan.FromHours(12);

    /// <summary>The default bound of the read lag of FilterLogEvents and Logs Insights (<c>--query-lag 120</c>).</summary>
    public static readonly TimeSpan DefaultQueryLag = TimeSpan.FromSeconds(120);

    /// <summary>No lag: every event is available at its ingestion instant.</summary>
    public static AvailabilityLag Off { get; } = new(TimeSpan.Zero);

    /// <summary>The bound of the bulk of the lags (the share outside the tail).</summary>
    public TimeSpan Bulk { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Share (0-1) of events whose lag is drawn up to <see cref="Maximum"/> rather than up to <see cref="Bulk"/>.</summary>
    public double TailFraction { get; init; } = 0.1;

    /// <summary>Makes the draws of two lags of the same events independent (export and read lags use different salts).</summary>
    public string Salt { get; init; } = "export";

    public bool IsOff => Maximum <= TimeSpan.Zero;

    /// <summary>The export availability lag of <c>--availability-lag</c>.</summary>
    public static AvailabilityLag ForExport(TimeSpan maximum) => new(maximum) { Salt = "export" };

    /// <summary>The read lag of FilterLogEvents and Logs Insights of <c>--query-lag</c>.</summary>
    public static AvailabilityLag ForReads(TimeSpan maximum) => new(maximum) { Salt = "read", Bulk = TimeSpan.FromSeconds(30) };

    /// <summary>The lag of one event, in milliseconds (0 when off), at most <see cref="Maximum"/>.</summary>
    public long DrawMillis(string logGroupName, string logStreamName, long timestamp, string message, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(logGroupName);
        ArgumentNullException.ThrowIfNull(logStreamName);
        ArgumentNullException.ThrowIfNull(message);
        if (IsOff)
        {
            return 0;
        }

        var hash = Fnv1a(string.Join('\0', Salt, logGroupName, logStreamName, timestamp.ToString(CultureInfo.InvariantCulture), message, ordinal.ToString(CultureInfo.InvariantCulture)));
        var first = SplitMix(ref hash);
        var second = SplitMix(ref hash);
        var inTail = Unit(first) < TailFraction;
        var bound = inTail ? Maximum : (Bulk < Maximum ? Bulk : Maximum);
        return (long)Math.Floor(Unit(second) * bound.TotalMilliseconds);
    }

    /// <summary>One line for run reports.</summary>
    public string Describe() => IsOff
        ? "off"
        : string.Create(CultureInfo.InvariantCulture, $"up to {Maximum.TotalMinutes:0.##} min: {(1 - TailFraction) * 100:0.#} % within {(Bulk < Maximum ? Bulk : Maximum).TotalSeconds:0.#} s, {TailFraction * 100:0.#} % uniform up to the maximum");

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // [0, 1) from the top 53 bits.
    private static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));
}
