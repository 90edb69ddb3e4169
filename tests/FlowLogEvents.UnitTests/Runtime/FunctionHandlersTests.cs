using FlowLogEvents.Functions;

namespace FlowLogEvents.Tests.Runtime;

public sealed class FunctionHandlersTests
{
    [Fact]
    public void All_Table_CoversExactlyTheTwoHandlerStrings()
    {
        Assert.Equal(
            ["FlowLogEvents::FlowLogEvents.Functions.ExportFunction::HandleAsync", "FlowLogEvents::FlowLogEvents.Functions.SignalFunction::HandleAsync"],
            FunctionHandlers.All.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("FlowLogEvents::FlowLogEvents.Functions.SignalFunction::HandleAsync", FunctionHandlers.Signal);
        Assert.Equal("FlowLogEvents::FlowLogEvents.Functions.ExportFunction::HandleAsync", FunctionHandlers.Export);
    }
}
