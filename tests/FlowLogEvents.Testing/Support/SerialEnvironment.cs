namespace FlowLogEvents.Tests.Support;

// Compiled into each test project that uses it (an xunit collection is defined per test assembly), not into
// FlowLogEvents.Testing: see the Compile links in FlowLogEvents.UnitTests.csproj and FlowLogEvents.IntegrationTests.csproj.

/// <summary>Tests that change process-wide environment variables run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialEnvironment
{
    public const string Name = "Process environment";
}
