using System.Text.Json.Nodes;

namespace FlowLogEvents.Tests.Template;

/// <summary>Queue, event source mapping and logging settings the design relies on.</summary>
public sealed class TemplateQueueTests
{
    [Fact]
    public void SignalQueue_VisibilityTimeout_IsAtLeastSixTimesTheExportFunctionTimeout()
    {
        var timeout = (int)RepositoryFiles.Properties("ExportFunction")["Timeout"]!;
        var visibility = (int)RepositoryFiles.Properties("SignalQueue")["VisibilityTimeout"]!;

        Assert.Equal(60, timeout);
        Assert.True(visibility >= 6 * timeout, $"visibility {visibility} s < 6 x {timeout} s");
    }

    [Fact]
    public void SignalQueue_RedrivePolicy_SendsToTheFifoDlqAfterAtLeastFiveReceives()
    {
        var queue = RepositoryFiles.Properties("SignalQueue");
        var dlq = RepositoryFiles.Properties("DeadLetterQueue");
        var redrive = queue["RedrivePolicy"]!;

        Assert.True((bool)queue["FifoQueue"]!);
        Assert.True((bool)dlq["FifoQueue"]!);
        Assert.Equal("GetAtt:DeadLetterQueue.Arn", TemplateJson.Render(redrive["deadLetterTargetArn"]!));
        Assert.True((int)redrive["maxReceiveCount"]! >= 5);
        Assert.True((bool)queue["SqsManagedSseEnabled"]!);
        Assert.True((bool)dlq["SqsManagedSseEnabled"]!);
        Assert.Equal(1209600, (int)dlq["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void SignalQueue_DelaySeconds_PacesContinuationsAt60Seconds()
    {
        Assert.Equal(60, (int)RepositoryFiles.Properties("SignalQueue")["DelaySeconds"]!);
    }

    [Fact]
    public void ClaimLease_Default_IsAtLeastTheExportFunctionTimeout()
    {
        var parameter = RepositoryFiles.Template["Parameters"]!["ClaimLeaseSeconds"]!;

        Assert.True((int)parameter["Default"]! >= (int)RepositoryFiles.Properties("ExportFunction")["Timeout"]!);
        Assert.True((int)parameter["MinValue"]! >= (int)RepositoryFiles.Properties("ExportFunction")["Timeout"]!);
    }

    /// <summary>
    /// CloudFormation rules cannot compare numbers, so the bounds carry the rule: with every ClockSkewSeconds the
    /// template allows, the default lease outlasts the export function's timeout plus twice the skew, and the
    /// smallest lease does so at the default skew (a smaller lease with a larger skew fails the cold start).
    /// </summary>
    [Fact]
    public void ClaimLease_Bounds_CoverTheTimeoutPlusTwiceTheClockSkew()
    {
        var lease = RepositoryFiles.Template["Parameters"]!["ClaimLeaseSeconds"]!;
        var skew = RepositoryFiles.Template["Parameters"]!["ClockSkewSeconds"]!;
        var timeout = (int)RepositoryFiles.Properties("ExportFunction")["Timeout"]!;

        Assert.True((int)lease["Default"]! >= timeout + (2 * (int)skew["MaxValue"]!), $"ClaimLeaseSeconds.Default {lease["Default"]} < Timeout {timeout} + 2 x ClockSkewSeconds.MaxValue {skew["MaxValue"]}");
        Assert.True((int)lease["MinValue"]! >= timeout + (2 * (int)skew["Default"]!), $"ClaimLeaseSeconds.MinValue {lease["MinValue"]} < Timeout {timeout} + 2 x ClockSkewSeconds.Default {skew["Default"]}");
    }

    [Fact]
    public void FunctionTimeoutVariable_OfExportFunction_IsItsTimeout()
    {
        var variables = TemplateEnvironmentTests.TemplateVariables("ExportFunction");

        Assert.Equal(RepositoryFiles.Properties("ExportFunction")["Timeout"]!.ToString(), variables["FUNCTION_TIMEOUT_SECONDS"].ToString());
    }

    [Fact]
    public void EventSourceMapping_ExportFunction_ReadsBatchesOfUpTo10WithReportBatchItemFailures()
    {
        var events = RepositoryFiles.Properties("ExportFunction")["Events"]!.AsObject();
        var sqs = Assert.Single(events).Value!;
        var properties = sqs["Properties"]!;

        Assert.Equal("SQS", (string?)sqs["Type"]);
        Assert.Equal("GetAtt:SignalQueue.Arn", TemplateJson.Render(properties["Queue"]!));
        Assert.InRange((int)properties["BatchSize"]!, 1, 10);
        Assert.Equal(["ReportBatchItemFailures"], properties["FunctionResponseTypes"]!.AsArray().Select(v => (string)v!));
        Assert.Null(properties["MaximumBatchingWindowInSeconds"]);
    }

    [Theory]
    [InlineData("SignalFunction", "SignalFunctionLogGroup")]
    [InlineData("ExportFunction", "ExportFunctionLogGroup")]
    public void Logging_OfFunction_IsJsonIntoItsOwnLogGroupWithRetention(string function, string logGroup)
    {
        var logging = RepositoryFiles.Properties(function)["LoggingConfig"]!;
        var group = RepositoryFiles.Resource(logGroup);

        Assert.Equal("JSON", (string?)logging["LogFormat"]);
        Assert.Equal($"Ref:{logGroup}", TemplateJson.Render(logging["LogGroup"]!));
        Assert.Equal("AWS::Logs::LogGroup", (string?)group["Type"]);
        Assert.Equal("Ref:LogRetentionDays", TemplateJson.Render(group["Properties"]!["RetentionInDays"]!));
        Assert.Null(logging["ApplicationLogLevel"]);
    }

    [Fact]
    public void ExportBucket_WhenCreated_BlocksPublicAccessEncryptsAndDeniesPlainHttp()
    {
        var bucket = RepositoryFiles.Resource("ExportBucket");
        var properties = bucket["Properties"]!;
        var block = properties["PublicAccessBlockConfiguration"]!.AsObject();
        var policy = RepositoryFiles.Properties("ExportBucketPolicy")["PolicyDocument"]!["Statement"]!.AsArray();
        var deny = Assert.Single(policy, s => (string?)s!["Effect"] == "Deny")!;

        Assert.Equal("CreateBucket", (string?)bucket["Condition"]);
        Assert.Equal(4, block.Count);
        Assert.All(block, p => Assert.True((bool)p.Value!));
        Assert.NotNull(properties["BucketEncryption"]);
        Assert.Equal("false", (string?)deny["Condition"]!["Bool"]!["aws:SecureTransport"]);
    }

    [Fact]
    public void ExportBucketPolicy_CloudWatchLogs_MayCheckTheAclAndWriteOnlyUnderTheExportPrefix()
    {
        var statements = RepositoryFiles.Properties("ExportBucketPolicy")["PolicyDocument"]!["Statement"]!.AsArray()
            .Where(s => s!["Principal"] is JsonObject principal && principal["Service"] is not null)
            .ToList();

        var acl = Assert.Single(statements, s => (string?)s!["Action"] == "s3:GetBucketAcl")!;
        var put = Assert.Single(statements, s => (string?)s!["Action"] == "s3:PutObject")!;
        Assert.Equal(2, statements.Count);
        Assert.Equal("GetAtt:ExportBucket.Arn", TemplateJson.Render(acl["Resource"]!));
        Assert.Equal("Sub:${ExportBucket.Arn}/${ExportPrefix}/*", TemplateJson.Render(put["Resource"]!));
        Assert.Equal("bucket-owner-full-control", (string?)put["Condition"]!["StringEquals"]!["s3:x-amz-acl"]);
        Assert.All(statements, s =>
        {
            Assert.Equal("Sub:logs.${AWS::Region}.amazonaws.com", TemplateJson.Render(s!["Principal"]!["Service"]!));
            Assert.Equal("Ref:AWS::AccountId", TemplateJson.Render(s["Condition"]!["StringEquals"]!["aws:SourceAccount"]!));
            Assert.Equal("Sub:arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*", TemplateJson.Render(s["Condition"]!["ArnLike"]!["aws:SourceArn"]!));
        });
    }

    [Fact]
    public void Outputs_Template_NameQueuesBucketPrefixesAndDashboard()
    {
        var outputs = RepositoryFiles.Template["Outputs"]!.AsObject().Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["SignalQueueUrl", "DeadLetterQueueUrl", "ExportBucket", "ExportPrefix", "StatePrefix", "DashboardUrl"], StringComparer.Ordinal), outputs);
    }
}
