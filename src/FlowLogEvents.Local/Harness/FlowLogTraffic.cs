using System.Globalization;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Generates realistic VPC flow log traffic (default v2 format, one stream per ENI, 1 or 10 minute
/// aggregation, delivery several minutes after the interval, a share of late records), deterministic
/// for a seed and a start instant. Every record is unique, so verification can count exactly.
/// </summary>
public static class FlowLogTraffic
{
    public const string AccountId = "123456789012";

    private static readonly (int Port, int Protocol)[] Services =
        [(443, 6), (80, 6), (53, 17), (22, 6), (3306, 6), (5432, 6), (123, 17), (8080, 6), (6379, 6), (9092, 6)];

    /// <param name="start">Start of the traffic (the first aggregation interval).</param>
    /// <param name="groupNamePrefix">Log group names are &lt;prefix&gt;/vpc-01, /vpc-02, ...</param>
    public static TrafficPlan Generate(ScenarioOptions options, DateTimeOffset start, string groupNamePrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
#pragma warning disable CA5394 // A seeded, reproducible generator is the point; nothing here is security relevant.
        var random = new Random(options.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var interval = TimeSpan.FromMinutes(options.AggregationMinutes);
        var groups = new List<LogGroupTraffic>();
        var batches = new List<TrafficBatch>();
        var startSeconds = start.ToUnixTimeSeconds();
        for (var g = 0; g < options.LogGroups; g++)
        {
            var name = $"{groupNamePrefix.TrimEnd('/')}/vpc-{g + 1:00}";
            var silent = g >= options.LogGroups - options.SilentLogGroups;
            var duration = silent ? options.Duration / 2 : options.Duration;
            var intervals = Math.Max(1, (int)Math.Ceiling(duration / interval));
            var enis = Enumerable.Range(0, options.EnisPerLogGroup)
                .Select(i => (Id: "eni-" + Hex(random, 17), Address: $"10.{g}.{i / 200}.{(i % 200) + 10}"))
                .ToList();
            groups.Add(new LogGroupTraffic(name, enis.Select(e => StreamName(e.Id)).ToList(), silent, start + (intervals * interval)));
            for (var k = 0; k < intervals; k++)
            {
                var intervalStart = startSeconds + (k * (long)interval.TotalSeconds);
                var intervalEnd = intervalStart + (long)interval.TotalSeconds;
                foreach (var eni in enis)
                {
                    var delay = options.DeliveryDelay * (0.5 + random.NextDouble());
                    var deliverAt = DateTimeOffset.FromUnixTimeSeconds(intervalEnd) + TimeSpan.FromMilliseconds(Math.Round(delay.TotalMilliseconds));
                    var count = options.RecordsPerEniPerMinute * options.AggregationMinutes;
                    var records = new List<FlowRecord>(count);
                    for (var r = 0; r < count; r++)
                    {
                        var late = random.NextDouble() < options.LateFraction;
                        long first;
                        long last;
                        if (late)
                        {
                            var age = options.Lateness * (0.5 + (random.NextDouble() / 2));
                            first = (deliverAt - age).ToUnixTimeSeconds();
                            last = first + random.Next(0, 60);
                        }
                        else
                        {
                            first = intervalStart + random.Next(0, (int)(intervalEnd - intervalStart));
                            last = Math.Min(intervalEnd - 1, first + random.Next(0, 120));
                        }

                        records.Add(new FlowRecord(name, StreamName(eni.Id), first * 1000, UniqueMessage(random, seen, eni.Id, eni.Address, first, last), late));
                    }

                    records.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : string.CompareOrdinal(a.Message, b.Message));
                    batches.Add(new TrafficBatch(name, StreamName(eni.Id), deliverAt, records));
                }
            }
        }
#pragma warning restore CA5394

        // Stable: equal delivery times keep generation order.
        var ordered = batches.Select((b, i) => (b, i)).OrderBy(x => x.b.DeliverAt).ThenBy(x => x.i).Select(x => x.b).ToList();
        return new TrafficPlan(groups, ordered);
    }

    public static string StreamName(string eniId) => eniId + "-all";

#pragma warning disable CA5394
    private static string UniqueMessage(Random random, HashSet<string> seen, string eni, string address, long first, long last)
    {
        while (true)
        {
            var (port, protocol) = Services[random.Next(Services.Length)];
            var outbound = random.Next(2) == 0;
            var peer = $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
            var ephemeral = random.Next(1024, 65536);
            var packets = random.Next(1, 2000);
            var bytes = packets * (long)random.Next(40, 1501);
            var action = random.Next(10) == 0 ? "REJECT" : "ACCEPT";
            var (src, dst, srcPort, dstPort) = outbound ? (address, peer, ephemeral, port) : (peer, address, ephemeral, port);
            var message = string.Create(
                CultureInfo.InvariantCulture,
                $"2 {AccountId} {eni} {src} {dst} {srcPort} {dstPort} {protocol} {packets} {bytes} {first} {last} {action} OK");
            if (seen.Add(message))
            {
                return message;
            }
        }
    }

    private static string Hex(Random random, int digits)
    {
        Span<char> chars = stackalloc char[digits];
        for (var i = 0; i < digits; i++)
        {
            chars[i] = "0123456789abcdef"[random.Next(16)];
        }

        return new string(chars);
    }
#pragma warning restore CA5394
}
