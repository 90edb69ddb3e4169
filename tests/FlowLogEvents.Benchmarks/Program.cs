using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;

namespace FlowLogEvents.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "--sizes":
                return Probes.Sizes();
            case "--payload":
                return Probes.WritePayload(args.Skip(1).ToArray());
            case "--memory":
                return Probes.Memory(args.Skip(1).ToArray());
            case "--cost":
                return CostModel.Print();
            case "--ratio":
                return Probes.Ratio(args.Skip(1).ToArray());
            default:
                return RunBenchmarks(args);
        }
    }

    // Kept out of Main so the probes do not load BenchmarkDotNet (the memory probe's footprint).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunBenchmarks(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
