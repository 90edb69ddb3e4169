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
            case "--memory":
                return Probes.Memory(args.Skip(1).ToArray());
            case "--ratio":
                return Probes.Ratio(args.Skip(1).ToArray());
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
