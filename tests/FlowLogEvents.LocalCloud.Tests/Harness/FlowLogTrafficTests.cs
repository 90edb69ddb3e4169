using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Tests.Harness;

public sealed class FlowLogTrafficTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    private static readonly ScenarioOptions Options = new()
    {
        LogGroups = 2,
        EnisPerLogGroup = 4,
        Duration = TimeSpan.FromMinutes(20),
        RecordsPerEniPerMinute = 3,
        LateFraction = 0.2,
        Lateness = TimeSpan.FromMinutes(12),
        SilentLogGroups = 1,
        Seed = 7,
    };

    private static List<(string, string, DateTimeOffset, long, string, bool)> Flatten(TrafficPlan plan) =>
        plan.Batches.SelectMany(b => b.Records.Select(r => (b.LogGroup, b.LogStream, b.DeliverAt, r.Timestamp, r.Message, r.Late))).ToList();

    [Fact]
    public void Generate_SameSeedAndStart_IsIdentical()
    {
        var a = FlowLogTraffic.Generate(Options, Start, "/vpc/test");
        var b = FlowLogTraffic.Generate(Options, Start, "/vpc/test");

        Assert.Equal(Flatten(a), Flatten(b));
        Assert.Equal(a.Groups.Select(g => (g.Name, string.Join(",", g.Streams), g.Silent, g.TrafficEnd)), b.Groups.Select(g => (g.Name, string.Join(",", g.Streams), g.Silent, g.TrafficEnd)));
    }

    [Fact]
    public void Generate_OtherSeed_DiffersInEveryMessage()
    {
        var a = FlowLogTraffic.Generate(Options, Start, "/vpc/test").Batches.SelectMany(b => b.Records).Select(r => r.Message).ToHashSet();
        var b = FlowLogTraffic.Generate(Options with { Seed = 8 }, Start, "/vpc/test").Batches.SelectMany(b => b.Records).Select(r => r.Message);

        Assert.DoesNotContain(b, a.Contains);
    }

    [Fact]
    public void Generate_CountsUniquenessAndSilentGroup()
    {
        var plan = FlowLogTraffic.Generate(Options, Start, "/vpc/test");
        var messages = plan.Batches.SelectMany(b => b.Records).Select(r => r.Message).ToList();

        // Full group: 4 ENIs x 20 minutes x 3; silent group: half the minutes.
        Assert.Equal((4 * 20 * 3) + (4 * 10 * 3), plan.RecordCount);
        Assert.Equal(plan.RecordCount, messages.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal([false, true], plan.Groups.Select(g => g.Silent));
        Assert.Equal(Start.AddMinutes(10), plan.Groups[1].TrafficEnd);
        Assert.Equal(4 * 10 * 3, plan.RecordsOf("/vpc/test/vpc-02").Count);
        Assert.InRange(plan.LateRecordCount, 1, plan.RecordCount / 2);
    }

    [Fact]
    public void Generate_RecordsAreVpcFlowLogsV2AndDeliveredLikeVpcFlowLogs()
    {
        var plan = FlowLogTraffic.Generate(Options, Start, "/vpc/test");

        Assert.Equal(plan.Batches.OrderBy(b => b.DeliverAt).Select(b => b.DeliverAt), plan.Batches.Select(b => b.DeliverAt));
        foreach (var batch in plan.Batches)
        {
            Assert.Equal(batch.Records.OrderBy(r => r.Timestamp).Select(r => r.Timestamp), batch.Records.Select(r => r.Timestamp));
            Assert.Single(batch.Records.Select(r => r.LogStream).Distinct());
            foreach (var record in batch.Records)
            {
                var fields = record.Message.Split(' ');
                Assert.Equal(14, fields.Length);
                Assert.Equal(("2", FlowLogTraffic.AccountId), (fields[0], fields[1]));
                Assert.Equal(FlowLogTraffic.StreamName(fields[2]), batch.LogStream);
                Assert.Equal(record.Timestamp, long.Parse(fields[10], System.Globalization.CultureInfo.InvariantCulture) * 1000);
                Assert.True(long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(fields[10], System.Globalization.CultureInfo.InvariantCulture));
                Assert.Contains(fields[12], new[] { "ACCEPT", "REJECT" });
                Assert.Equal("OK", fields[13]);
                var age = batch.DeliverAt - DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp);
                Assert.True(age > TimeSpan.Zero, "a record is delivered after its timestamp");
                Assert.True(age <= (record.Late ? Options.Lateness : TimeSpan.FromMinutes(Options.AggregationMinutes) + (Options.DeliveryDelay * 1.5)), $"age {age} of {record.Message}");
            }
        }
    }
}
