namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The events each log group received through the front's PutLogEvents, in arrival order, each with its ingestion
/// instant on the shared clock. An export task takes the events ingested at or before its creation instant (its
/// snapshot); the content is the same as moto's because only the events moto accepted are recorded.
/// </summary>
internal sealed class IngestionLog(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<IngestedEvent>> _groups = new(StringComparer.Ordinal);

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

            list.AddRange(events.Select(e => new IngestedEvent(logStreamName, e.Timestamp, e.Message, now)));
        }
    }

    /// <summary>Events of the group with <paramref name="from"/> &lt;= timestamp &lt;= <paramref name="to"/> ingested at or before <paramref name="snapshot"/>.</summary>
    public IReadOnlyList<IngestedEvent> Select(string logGroupName, string? logStreamNamePrefix, long from, long to, long snapshot)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(logGroupName, out var list))
            {
                return [];
            }

            return list
                .Where(e => e.Timestamp >= from && e.Timestamp <= to && e.IngestedAt <= snapshot)
                .Where(e => string.IsNullOrEmpty(logStreamNamePrefix) || e.LogStreamName.StartsWith(logStreamNamePrefix, StringComparison.Ordinal))
                .ToList();
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
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _groups.Clear();
        }
    }
}
