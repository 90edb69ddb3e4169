namespace FlowLogEvents.Tests;

/// <summary>The id formats, byte for byte (expected digests computed independently: SHA-256, first 8 bytes, lower hex).</summary>
public sealed class IdsTests
{
    private const string LogGroup = "/aws/vpc/flow-logs/prod";
    private const string LogGroupHash = "3443ccf8d927a276";
    private const string Stream = "eni-1-all";
    private const string StreamHash = "fc75f89e6cd371d5";

    [Fact]
    public void Hash_LogGroup_IsTheFirst8BytesOfSha256InLowerHex()
    {
        Assert.Equal(LogGroupHash, Ids.Hash(LogGroup));
    }

    [Fact]
    public void MessageGroupId_Always_IsTheOneGroup()
    {
        Assert.Equal("flowlogevents-exports", Ids.MessageGroupId);
    }

    [Fact]
    public void SignalIds_EachKind_HaveTheirFormat()
    {
        Assert.Equal($"{LogGroupHash}-1000", Ids.WindowSignal(LogGroup, 1000));
        Assert.Equal($"{LogGroupHash}-1000-2500", Ids.WindowSignalBeyondEnd(LogGroup, 1000, 2500));
        Assert.Equal($"{LogGroupHash}-1000-late-{StreamHash}-10-20", Ids.LateSignal(LogGroup, 1000, Stream, 10, 20));
        Assert.Equal($"{LogGroupHash}-1000-recovered-{StreamHash}-10-20", Ids.RecoveredSignal(LogGroup, 1000, Stream, 10, 20));
    }

    [Fact]
    public void ExportFunctionIds_EachKind_HaveTheirFormat()
    {
        Assert.Equal($"retry-{LogGroupHash}-m-1-2", Ids.Retry(LogGroup, "m-1", 2));
        Assert.Equal("isolate-m-1", Ids.Isolate("m-1"));
        Assert.Equal($"continue-{LogGroupHash}-a", Ids.Continue(LogGroup, "a", ["a"]));
        Assert.Equal($"continue-{LogGroupHash}-a-1eb7c54d52831bbf", Ids.Continue(LogGroup, "a", ["a", "b"]));
        Assert.Equal("m-1", Ids.DeadLetter("m-1"));
    }

    [Fact]
    public void Bounded_IdOver128Characters_IsReplacedByItsDigest()
    {
        Assert.Equal(new string('x', 128), Ids.Bounded(new string('x', 128)));
        Assert.Equal("digest-0ec9eb33e74510bc", Ids.Bounded(new string('x', 129)));
        Assert.Equal("digest-0ec9eb33e74510bc", Ids.DeadLetter(new string('x', 129)));
    }

    [Fact]
    public void TaskNames_EachKind_HaveTheirFormat()
    {
        var target = Ids.TargetHash("stack", "bucket", "exportedlogs/aws/vpc/flow-logs/prod");

        Assert.Equal("f06631188ada5d1f", target);
        Assert.Equal($"flowlogevents-{target}-{LogGroupHash}-1-2-3", Ids.TaskName(target, LogGroup, 1, 2, 3));
        Assert.Equal($"flowlogevents-{target}-{LogGroupHash}-late-{StreamHash}-1-2-3", Ids.LateTaskName(target, LogGroup, Stream, 1, 2, 3));
        Assert.Equal($"flowlogevents-{target}-{LogGroupHash}-late-{StreamHash}-1-2-i9-3", Ids.LateTaskName(target, LogGroup, Stream, 1, 2, 9, 3));
    }

    [Fact]
    public void FreshTaskName_TakenNameOfThisWindow_AppendsAHashOfTheTakenTask()
    {
        Assert.Equal($"fresh-{Ids.Hash("fresh-1|task-9")}", Ids.FreshTaskName("fresh-1", "fresh", "task-9"));
        Assert.Equal("fresh", Ids.FreshTaskName("other", "fresh", "task-9"));
    }
}
