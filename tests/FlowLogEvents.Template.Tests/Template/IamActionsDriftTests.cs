using FlowLogEvents.Aws;
using FlowLogEvents.Functions;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// The declared IAM actions (<see cref="IamActions"/>, each adapter's RequiredActions) cannot drift
/// from the code: the IL of the compiled assembly is scanned for AWS client calls.
/// </summary>
public sealed class IamActionsDriftTests
{
    [Fact]
    public void AwsClientCalls_InCompiledCode_AreMadeOnlyByAdaptersThatDeclareRequiredActions()
    {
        var callers = AwsCalls.ByCaller().Keys.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        // The scan sees the known adapters (so it cannot pass by finding nothing) ...
        Assert.Contains(nameof(S3CheckpointStore), callers);
        Assert.Contains(nameof(SqsQueueSender), callers);
        Assert.Contains(nameof(CloudWatchExportTasks), callers);

        // ... and every type calling AWS declares what it calls.
        var undeclared = AwsCalls.ByCaller().Keys.Where(t => AwsCalls.Declared(t) is null).Select(t => t.FullName).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void RequiredActions_EachAdapter_EqualTheOperationsItCallsPlusDocumentedImpliedActions()
    {
        foreach (var (adapter, called) in AwsCalls.ByCaller())
        {
            var declared = AwsCalls.Declared(adapter)!;
            var declaredCalls = declared.Where(a => !IamActions.IsImplied(adapter.Name, a)).Order(StringComparer.Ordinal).ToList();

            Assert.True(
                called.SequenceEqual(declaredCalls),
                $"{adapter.Name}: calls [{string.Join(", ", called)}] but declares [{string.Join(", ", declaredCalls)}] (implied actions aside)");
            Assert.Equal(declared.Count, declared.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void Implied_EveryImpliedAction_IsDeclaredByItsAdapterAndExplained()
    {
        var adapters = AwsCalls.ByCaller().Keys.ToDictionary(t => t.Name, StringComparer.Ordinal);

        Assert.Equal(
            [(nameof(CloudWatchExportTasks), IamActions.S3PutObject), (nameof(S3CheckpointStore), IamActions.S3ListBucket)],
            IamActions.Implied.Select(i => (i.Adapter, i.Action)).Order());
        Assert.All(IamActions.Implied, implied =>
        {
            Assert.Contains(implied.Action, AwsCalls.Declared(adapters[implied.Adapter])!);
            Assert.False(string.IsNullOrWhiteSpace(implied.Reason));
        });
    }

    [Fact]
    public void SignalFunction_AdaptersItBuilds_DeclareExactlyIamActionsSignalFunction()
    {
        var adapters = AwsCalls.AdaptersBuiltBy(typeof(SignalFunction));
        var fromAdapters = adapters.SelectMany(a => AwsCalls.Declared(a)!).ToHashSet(StringComparer.Ordinal);

        Assert.Equal([nameof(SqsQueueSender)], adapters.Select(a => a.Name));
        Assert.True(fromAdapters.SetEquals(IamActions.SignalFunction));
        Assert.Equal(["sqs:SendMessage"], IamActions.SignalFunction.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExportFunction_AdaptersItBuilds_DeclareExactlyIamActionsExportFunction()
    {
        var adapters = AwsCalls.AdaptersBuiltBy(typeof(ExportFunction));
        var fromAdapters = adapters.SelectMany(a => AwsCalls.Declared(a)!).ToHashSet(StringComparer.Ordinal);

        Assert.Equal([nameof(CloudWatchExportTasks), nameof(CloudWatchLogEventSource), nameof(S3CheckpointStore), nameof(S3ExportedObjects), nameof(SqsQueueSender)], adapters.Select(a => a.Name));
        Assert.True(fromAdapters.SetEquals(IamActions.ExportFunction));
        Assert.Equal(
            ["logs:CreateExportTask", "logs:DescribeExportTasks", "logs:DescribeLogGroups", "logs:FilterLogEvents", "logs:GetQueryResults", "logs:StartQuery", "logs:StopQuery", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "sqs:SendMessage"],
            IamActions.ExportFunction.Order(StringComparer.Ordinal));
    }
}
