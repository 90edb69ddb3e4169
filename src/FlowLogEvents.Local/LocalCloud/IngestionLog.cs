namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The events each log group received through the front's PutLogEvents, in arrival order, each with its ingestion
/// instant on the shared clock and, drawn at ingestion, the instants it becomes available to export tasks
/// (<see cref="ExportLag"/>) and visible to FilterLogEvents and Logs Insights (<see cref="ReadLag"/>). An export task
/// takes the events of its range available at its creation instant (its snapshot); the content is the same as moto's
/// because only the events moto accepted are recorded.
/// </summary>
internal sealed class IngestionLog(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<IngestedEvent>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Stream, long Timestamp, string Message), int> _ordinals = [];
    private long _sequence;

    /// <summary>The lag between ingestion and availability for export; applies to events appended from now on.</summary>
    public AvailabilityLag ExportLag { get; set; } = AvailabilityLag.Off;

    /// <summary>The lag between ingestion and visibility to FilterLogEvents and Logs Insights; applies to events appended from now on.</summary>
    public AvailabilityLag ReadLag { get; set; } = AvailabilityLag.Off;

    /// <summary>Records accepted events; their ingestion instant is the clock's now, read under the lock so instants never go backwards within a group.</summary>
    public void Append(string logGroupName, string logStreamName, IEnumerable<(long Timestamp, string Message)> events)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (!_groups.TryGetValue(logGroupName, out var list))
            {
                list = [];
                _groups[logGroupName] = list;
            }

            foreach (var (timestamp, message) in events)
            {
                // The ordinal tells identical events apart, so each draws its own lag whatever the order of calls.
                var key = (logGroupName, logStreamName, timestamp, message);
                var ordinal = _ordinals.GetValueOrDefault(key);
                _ordinals[key] = ordinal + 1;
                list.Add(new IngestedEvent(logStreamName, timestamp, message, now)
                {
                    AvailableAt = now + ExportLag.DrawMillis(logGroupName, logStreamName, timestamp, message, ordinal),
                    VisibleAt = now + ReadLag.DrawMillis(logGroupName, logStreamName, timestamp, message, ordinal),
                    Sequence = ++_sequence,
                });
            }
        }
    }

    /// <summary>Events of the group with <paramref name="from"/> &lt;= timestamp &lt;= <paramref name="to"/> available for export at or before <paramref name="snapshot"/>.</summary>
    public IReadOnlyList<IngestedEvent> Select(string logGroupName, string? logStreamNamePrefix, long from, long to, long snapshot)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(logGroupName, out var list))
            {
                return [];
            }

            return list
                .Where(e => e.Timestamp >= from && e.Timestamp <= to && e.AvailableAt <= snapshot)
                .Where(e => string.IsNullOrEmpty(logStreamNamePrefix) || e.LogStreamName.StartsWith(logStreamNamePrefix, StringComparison.Ordinal))
                .ToList();
        }
    }

    /// <summary>Events of the group that FilterLogEvents and Logs Insights see at <paramref name="asOf"/>, in arrival order.</summary>
    public IReadOnlyList<IngestedEvent> Visible(string logGroupName, long asOf)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(logGroupName, out var list) ? list.Where(e => e.VisibleAt <= asOf).ToList() : [];
        }
    }

    public IReadOnlyList<IngestedEvent> Events(string logGroupName)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(logGroupName, out var list) ? list.ToList() : [];
        }
    }

    public void Forget(string logGroupName)
    {
        lock (_lock)
        {
            _groups.Remove(logGroupName);
            foreach (var key in _ordinals.Keys.Where(k => k.Group == logGroupName).ToList())
            {
                _ordinals.Remove(key);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _groups.Clear();
            _ordinals.Clear();
        }
    }
}
