using BenchmarkDotNet.Attributes;
using FlowLogEvents.Exports;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Benchmarks;

/// <summary>Decoding, coalescing and window planning for 1,000 signals across 50 log groups.</summary>
[MemoryDiagnoser]
public class ExportPlanningBenchmarks
{
    private const long Now = 1764169200000;
    private static readonly ExportPolicy Policy = new() { ExportBucket = "exports", ExportPrefix = "flowlogevents/exports" };
    private string[] _bodies = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _bodies = Enumerable.Range(0, 1000).Select(i =>
        {
            var windowStart = Now - (random.Next(0, 30) * 60_000L);
            var first = windowStart - random.Next(0, 900_000);
            return SignalCodec.Encode(new Signal
            {
                LogGroup = $"/vpc/flow-logs-{i % 50:D2}",
                LogStream = $"eni-{i:x12}-all",
                FirstEventTime = first,
                LastEventTime = first + random.Next(0, 600_000),
                EventCount = random.Next(1, 10_000),
                WindowStart = windowStart,
                WindowEnd = windowStart + 60_000,
            });
        }).ToArray();
    }

    [Benchmark]
    public int DecodeCoalesceAndPlan()
    {
        var work = new Dictionary<string, ExportWork>(StringComparer.Ordinal);
        foreach (var body in _bodies)
        {
            var signal = SignalCodec.Decode(body);
            work[signal.LogGroup] = work.TryGetValue(signal.LogGroup, out var existing) ? existing.Merge(signal) : ExportWork.From(signal);
        }

        var planned = 0;
        foreach (var item in work.Values)
        {
            var exportedThrough = item.EarliestStart(Policy.SettleDelay) - 1;
            if (WindowPlanner.Plan(exportedThrough, item.Merged.ExportThrough, Now, Policy) is not null)
            {
                planned++;
            }
        }

        return planned;
    }
}
