using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>The X-Ray trace header as Lambda's recursive loop detection reads it (Lineage counts per function).</summary>
public sealed class TraceHeaderTests
{
    private static readonly string Export = TraceHeader.FunctionHash("ExportFunction");
    private static readonly string Signal = TraceHeader.FunctionHash("SignalFunction");

    [Fact]
    public void Parse_HeaderWithLineage_ReadsRootParentSampledAndCounts()
    {
        var header = TraceHeader.Parse($"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage={Signal}:1|{Export}:5");

        Assert.NotNull(header);
        Assert.Equal("1-5759e988-bd862e3fe1be46a994272793", header.Root);
        Assert.Equal("53995c3f42cd8ad8", header.Parent);
        Assert.True(header.Sampled);
        Assert.Equal(5, header.InvocationsOf("ExportFunction"));
        Assert.Equal(1, header.InvocationsOf("SignalFunction"));
    }

    [Fact]
    public void Parse_PercentEncodedAsAwsSdkSendsIt_ReadsTheSameCounts()
    {
        var header = TraceHeader.Parse($"Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage={Signal}:2%7C{Export}:16");

        Assert.NotNull(header);
        Assert.Equal(16, header.InvocationsOf("ExportFunction"));
        Assert.Equal(2, header.InvocationsOf("SignalFunction"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Parent=53995c3f42cd8ad8;Sampled=1")]
    public void Parse_NoRoot_Null(string? value) => Assert.Null(TraceHeader.Parse(value));

    [Fact]
    public void ForInvocationOf_TwiceFromFresh_CountsTwoKeepsRootAndOtherFunctions()
    {
        var start = TraceHeader.Parse($"Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage={Signal}:1")!;

        var second = TraceHeader.Parse(start.ForInvocationOf("ExportFunction").ToString())!.ForInvocationOf("ExportFunction");

        Assert.Equal(start.Root, second.Root);
        Assert.Equal(2, second.InvocationsOf("ExportFunction"));
        Assert.Equal(1, second.InvocationsOf("SignalFunction"));
    }

    [Fact]
    public void ToString_RoundTrip_SameLineage()
    {
        var header = TraceHeader.Fresh(TimeProvider.System).ForInvocationOf("SignalFunction").ForInvocationOf("ExportFunction");

        var parsed = TraceHeader.Parse(header.ToString())!;

        Assert.Equal(header.Root, parsed.Root);
        Assert.Equal(header.Parent, parsed.Parent);
        Assert.Equal(header.Lineage.OrderBy(e => e.Key), parsed.Lineage.OrderBy(e => e.Key));
    }

    [Fact]
    public void Fresh_NoLineage_ZeroInvocations()
    {
        var header = TraceHeader.Fresh(TimeProvider.System);

        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", header.Root);
        Assert.Equal(0, header.InvocationsOf("ExportFunction"));
    }

    [Fact]
    public void MaxRecursiveInvocations_AwsLimit_Sixteen() => Assert.Equal(16, TraceHeader.MaxRecursiveInvocations);
}
