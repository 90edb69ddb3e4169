using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Lambda's recursive loop detection stops a function invoked more than 16 times by one chain; the export
/// function's continuations are such a chain by design, so it opts out (<c>RecursiveLoop: Allow</c>, passed
/// through by SAM to AWS::Lambda::Function); the signal function, in no loop, keeps Lambda's default.
/// </summary>
public sealed class TemplateRecursiveLoopTests
{
    [Fact]
    public void ExportFunction_RecursiveLoop_Allow() =>
        Assert.Equal("Allow", (string?)RepositoryFiles.Properties("ExportFunction")["RecursiveLoop"]);

    [Fact]
    public void SignalFunction_RecursiveLoop_LambdaDefault() =>
        Assert.Null(RepositoryFiles.Properties("SignalFunction")["RecursiveLoop"]);

    [Fact]
    public void LocalCloudTemplate_RecursiveLoop_ReadsAllowAndTheTerminateDefault()
    {
        var template = ServerlessTemplate.Load();

        Assert.Equal(("Allow", "Terminate"), (template.RecursiveLoop("ExportFunction"), template.RecursiveLoop("SignalFunction")));
    }
}
