namespace FlowLogEvents.Local.Harness;

/// <summary>All traffic of a run, decided up front so it can be verified exactly.</summary>
public sealed class TrafficPlan
{
    private readonly Dictionary<string, List<FlowRecord>> _byGroup;

    internal TrafficPlan(IReadOnlyList<LogGroupTraffic> groups, IReadOnlyList<TrafficBatch> batches)
    {
        Groups = groups;
        Batches = batches;
        _byGroup = groups.ToDictionary(g => g.Name, _ => new List<FlowRecord>(), StringComparer.Ordinal);
        foreach (var record in batches.SelectMany(b => b.Records))
        {
            _byGroup[record.LogGroup].Add(record);
        }
    }

    public IReadOnlyList<LogGroupTraffic> Groups { get; }

    /// <summary>Ordered by delivery time.</summary>
    public IReadOnlyList<TrafficBatch> Batches { get; }

    public int RecordCount => _byGroup.Values.Sum(r => r.Count);

    public int LateRecordCount => _byGroup.Values.Sum(r => r.Count(x => x.Late));

    public IReadOnlyList<FlowRecord> RecordsOf(string logGroup) => _byGroup[logGroup];

    /// <summary>The newest event timestamp of a log group (epoch ms): its checkpoint must reach it.</summary>
    public long LastTimestampOf(string logGroup) => _byGroup[logGroup].Count == 0 ? long.MinValue : _byGroup[logGroup].Max(r => r.Timestamp);

    /// <summary>The oldest event timestamp (epoch ms) of the whole plan.</summary>
    public long FirstTimestamp => Batches.SelectMany(b => b.Records).Min(r => r.Timestamp);

    public DateTimeOffset LastDelivery => Batches.Count == 0 ? DateTimeOffset.MinValue : Batches[^1].DeliverAt;
}
