using FlowLogEvents.Verification;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>CloudWatch Logs' record for the verification, in memory: events per stream; counts and reads can be made to lag or fail.</summary>
public sealed class FakeLogEventSource : ILogEventSource
{
    private readonly Dictionary<string, List<LogEventKey>> _streams = new(StringComparer.Ordinal);

    public int Counts { get; private set; }

    public int Reads { get; private set; }

    /// <summary>Bytes scanned each count reports.</summary>
    public double BytesScannedPerCount { get; set; } = 1024;

    /// <summary>When set, the next count throws it (then clears).</summary>
    public Exception? FailNextCount { get; set; }

    /// <summary>Counts say they were cut at the row limit.</summary>
    public bool Truncated { get; set; }

    /// <summary>Events the reads do not show yet (the read lags behind the count).</summary>
    public HashSet<LogEventKey> HiddenFromReads { get; } = [];

    public void Add(string stream, params LogEventKey[] events)
    {
        if (!_streams.TryGetValue(stream, out var list))
        {
            list = [];
            _streams[stream] = list;
        }

        list.AddRange(events);
    }

    public Task<StreamCounts> CountByStreamAsync(string logGroup, long first, long last, CancellationToken ct)
    {
        Counts++;
        if (FailNextCount is { } failure)
        {
            FailNextCount = null;
            throw failure;
        }

        var counts = _streams
            .Select(s => (s.Key, Count: (long)s.Value.Count(e => e.Timestamp >= first && e.Timestamp <= last)))
            .Where(s => s.Count > 0)
            .ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal);
        return Task.FromResult(new StreamCounts(counts, BytesScannedPerCount, !Truncated));
    }

    public Task<IReadOnlyList<LogEventKey>> ReadStreamAsync(string logGroup, string logStream, long first, long last, CancellationToken ct)
    {
        Reads++;
        IReadOnlyList<LogEventKey> events = _streams.GetValueOrDefault(logStream, [])
            .Where(e => e.Timestamp >= first && e.Timestamp <= last && !HiddenFromReads.Contains(e))
            .ToList();
        return Task.FromResult(events);
    }
}
