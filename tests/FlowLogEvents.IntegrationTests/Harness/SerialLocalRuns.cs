namespace FlowLogEvents.Tests.Harness;

/// <summary>
/// Whole local runs (simulated clock at speed 60 against moto_server) run one at a time, after the
/// parallel tests: two at once on a small machine make the harness fall behind its clock.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialLocalRuns
{
    public const string Name = "Local runs";
}
