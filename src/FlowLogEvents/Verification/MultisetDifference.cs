namespace FlowLogEvents.Verification;

/// <summary>Compares what CloudWatch Logs holds with what the exports hold, as multisets of (timestamp, message): the same event twice is two events.</summary>
public static class MultisetDifference
{
    /// <summary>
    /// The events of <paramref name="held"/> that <paramref name="exported"/> lacks (with their multiplicity, in timestamp
    /// then message order), and how many exported events CloudWatch Logs does not hold as often (the surplus).
    /// </summary>
    public static (IReadOnlyList<LogEventKey> Missing, long Surplus) Compare(IEnumerable<LogEventKey> held, IEnumerable<LogEventKey> exported)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(exported);
        var counts = new Dictionary<LogEventKey, long>();
        foreach (var e in held)
        {
            counts[e] = counts.GetValueOrDefault(e) + 1;
        }

        long surplus = 0;
        foreach (var e in exported)
        {
            var left = counts.GetValueOrDefault(e);
            if (left == 0)
            {
                surplus++;
            }
            else
            {
                counts[e] = left - 1;
            }
        }

        var missing = new List<LogEventKey>();
        foreach (var (e, left) in counts)
        {
            for (var i = 0; i < left; i++)
            {
                missing.Add(e);
            }
        }

        missing.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : string.CompareOrdinal(a.Message, b.Message));
        return (missing, surplus);
    }
}
