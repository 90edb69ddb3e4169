using System.Diagnostics;
using System.Globalization;
using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Benchmarks;

/// <summary>Measurements that are not BenchmarkDotNet benchmarks: payload sizes, memory, interleaved ratios.</summary>
internal static class Probes
{
    private static readonly int[] EventCounts = [10, 1_000, 10_000, Payloads.NearOneMegabyteEvents];

    /// <summary>The payloads' sizes: invocation event, gzip, decompressed JSON.</summary>
    public static int Sizes()
    {
        Console.WriteLine("| VPC flow log v2 records | invocation event | gzip (compressed) | decompressed JSON |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var events in EventCounts)
        {
            var (invocation, compressed, decompressed) = Payloads.Sizes(events);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {events:N0} | {invocation:N0} B | {compressed:N0} B | {decompressed:N0} B |"));
        }

        return 0;
    }

    /// <summary><c>--payload &lt;records&gt; &lt;file&gt;</c>: writes one invocation event (for the memory probe and the cold-start host).</summary>
    public static int WritePayload(string[] args)
    {
        File.WriteAllBytes(args[1], Payloads.Invocation(int.Parse(args[0], CultureInfo.InvariantCulture)));
        return 0;
    }

    /// <summary>
    /// <c>--memory &lt;event file&gt; [invocations]</c>: the signal handler, warm, on one payload over and
    /// over (in-memory queue, telemetry discarded): peak working set and GC heap of the process. The
    /// payload is read from a file so that building it does not raise the peak.
    /// </summary>
    public static int Memory(string[] args)
    {
        var payload = File.ReadAllBytes(args[0]);
        var invocations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var events = SubscriptionPayload.Decode(payload).EventCount;
        var queue = new CountingQueueSender();
        var time = new SteppingTimeProvider();
        var function = new SignalFunction(queue, new SignalSettings(new Uri("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo"), TimeSpan.FromSeconds(60)), time, new Telemetry(Stream.Null, time, "signal"));
        using var process = Process.GetCurrentProcess();

        process.Refresh();
        var before = process.PeakWorkingSet64;
        Invoke(function, payload, time);

        // Allocations are counted from the second invocation on: the first rents the pooled buffers.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var threadAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gcBefore = GC.CollectionCount(0);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < invocations; i++)
        {
            Invoke(function, payload, time);
        }

        sw.Stop();
        var allocatedPerInvocation = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / invocations;
        var threadAllocatedPerInvocation = (GC.GetAllocatedBytesForCurrentThread() - threadAllocatedBefore) / invocations;
        var gcs = GC.CollectionCount(0) - gcBefore;
        process.Refresh();
        var info = GC.GetGCMemoryInfo();
        static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"payload: {events:N0} records, {payload.Length:N0} B invocation event; {invocations} invocations after a first one, {queue.Sent} signals sent, {sw.Elapsed.TotalMilliseconds / invocations:F2} ms per invocation"));
        Console.WriteLine($"peak working set before the first invocation: {Mb(before)}");
        Console.WriteLine($"peak working set after:                      {Mb(process.PeakWorkingSet64)}");
        Console.WriteLine($"working set now:                             {Mb(process.WorkingSet64)}");
        Console.WriteLine($"GC heap size (last GC):                      {Mb(info.HeapSizeBytes)}, committed {Mb(info.TotalCommittedBytes)}");
        Console.WriteLine($"GC heap hard limit:                          {(info.TotalAvailableMemoryBytes > 0 ? Mb(info.TotalAvailableMemoryBytes) : "none")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated per invocation: {threadAllocatedPerInvocation:N0} B on the invoking thread, {allocatedPerInvocation:N0} B in the process; gen0 collections: {gcs}; server GC: {System.Runtime.GCSettings.IsServerGC}"));
        return 0;
    }

    private static void Invoke(SignalFunction function, byte[] payload, SteppingTimeProvider time)
    {
        using var input = new MemoryStream(payload, writable: false);
        using var response = function.HandleAsync(input).GetAwaiter().GetResult();
        time.Advance(TimeSpan.FromSeconds(61));
    }

    /// <summary>
    /// Floor and streaming decode alternated call by call (so a burst of load from other processes
    /// hits both), median of each: a cross-check of BenchmarkDotNet's ratio on a shared machine.
    /// </summary>
    public static int Ratio(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        Console.WriteLine("| records | floor median | decode median | ratio |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var events in EventCounts)
        {
            var bench = new SignalDecodeBenchmarks { Events = events };
            bench.Setup();
            var n = Math.Max(1, 20_000 / events);
            var floor = new double[rounds];
            var decode = new double[rounds];
            for (var w = 0; w < 20; w++)
            {
                bench.Floor();
                bench.Streaming();
            }

            for (var r = 0; r < rounds; r++)
            {
                var t0 = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++)
                {
                    bench.Floor();
                }

                var t1 = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++)
                {
                    bench.Streaming();
                }

                var t2 = Stopwatch.GetTimestamp();
                floor[r] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds / n;
                decode[r] = Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds / n;
            }

            Array.Sort(floor);
            Array.Sort(decode);
            var f = floor[rounds / 2];
            var d = decode[rounds / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {events:N0} | {f:F1} us | {d:F1} us | {d / f:F2} |"));
        }

        return 0;
    }

    private sealed class CountingQueueSender : IQueueSender
    {
        public int Sent { get; private set; }

        public Task SendAsync(QueueMessage message, CancellationToken ct)
        {
            Sent++;
            return Task.CompletedTask;
        }
    }

    private sealed class SteppingTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
