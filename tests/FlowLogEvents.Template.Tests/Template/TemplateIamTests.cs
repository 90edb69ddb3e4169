using System.Text.Json.Nodes;
using FlowLogEvents.Aws;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Each function's role grants exactly what its code needs (<see cref="IamActions"/>, itself checked
/// against the code by <see cref="IamActionsDriftTests"/> and <see cref="IamRecordingIntegrationTests"/>)
/// plus what the Lambda platform needs, with resources as narrow as IAM allows.
/// </summary>
public sealed class TemplateIamTests
{
    /// <summary>
    /// What Lambda itself does with the role: write the function's logs; poll the queue for the event source mapping;
    /// send the invocation record of a failed asynchronous invocation to the on-failure destination (Lambda uses the
    /// function's execution role for it).
    /// </summary>
    private static readonly Dictionary<string, string[]> PlatformStatements = new(StringComparer.Ordinal)
    {
        ["LambdaRuntimeLogs"] = ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["EventSourceMappingPoll"] = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
        ["OnFailureDestination"] = ["sqs:SendMessage"],
    };

    [Theory]
    [InlineData("SignalFunction", "SignalFunctionRole")]
    [InlineData("ExportFunction", "ExportFunctionRole")]
    public void Role_OfFunction_IsTheStacksOwnRoleWithInlinePoliciesOnly(string function, string role)
    {
        var properties = RepositoryFiles.Properties(function);
        var roleProperties = RepositoryFiles.Properties(role);

        Assert.Equal($"GetAtt:{role}.Arn", TemplateJson.Render(properties["Role"]!));
        Assert.Null(properties["Policies"]);
        Assert.Null(roleProperties["ManagedPolicyArns"]);
        Assert.Equal("AWS::IAM::Role", (string?)RepositoryFiles.Resource(role)["Type"]);
        var trust = Assert.Single(roleProperties["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("lambda.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("sts:AssumeRole", (string?)trust["Action"]);
    }

    [Fact]
    public void SignalFunctionRole_CodeStatements_GrantExactlyTheDeclaredActions()
    {
        var code = Statements("SignalFunctionRole").Where(s => !PlatformStatements.ContainsKey(s.Sid)).ToList();

        Assert.Equal(IamActions.SignalFunction.Order(StringComparer.Ordinal), code.SelectMany(s => s.Actions).Distinct().Order(StringComparer.Ordinal));
        Assert.All(code, s => Assert.Empty(s.Conditions));
    }

    [Fact]
    public void ExportFunctionRole_CodeStatements_GrantExactlyTheDeclaredActionsAndKmsOnlyUnderUseKms()
    {
        var code = Statements("ExportFunctionRole").Where(s => !PlatformStatements.ContainsKey(s.Sid)).ToList();
        var unconditional = code.Where(s => !s.Conditions.Contains("UseKms")).SelectMany(s => s.Actions).Distinct().Order(StringComparer.Ordinal);
        var kms = Assert.Single(code, s => s.Actions.Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));

        Assert.Equal(IamActions.ExportFunction.Order(StringComparer.Ordinal), unconditional);
        Assert.Equal(IamActions.StateBucketKms.Order(StringComparer.Ordinal), kms.Actions.Order(StringComparer.Ordinal));
        Assert.Equal(["UseKms"], kms.Conditions);
        Assert.Equal(["Ref:KmsKeyArn"], kms.Resources);
    }

    [Theory]
    [InlineData("SignalFunctionRole", "SignalFunctionLogGroup", "SignalFailureQueue", true)]
    [InlineData("ExportFunctionRole", "ExportFunctionLogGroup", "SignalQueue", false)]
    public void PlatformStatements_OfRole_AreExactAndOnTheirOwnResources(string role, string logGroup, string polledQueue, bool hasDestination)
    {
        var statements = Statements(role).Where(s => PlatformStatements.ContainsKey(s.Sid)).ToList();

        var logs = Assert.Single(statements, s => s.Sid == "LambdaRuntimeLogs");
        Assert.Equal(PlatformStatements["LambdaRuntimeLogs"], logs.Actions.Order(StringComparer.Ordinal));
        Assert.Equal([$"GetAtt:{logGroup}.Arn"], logs.Resources);
        var poll = Assert.Single(statements, s => s.Sid == "EventSourceMappingPoll");
        Assert.Equal(PlatformStatements["EventSourceMappingPoll"], poll.Actions.Order(StringComparer.Ordinal));
        Assert.Equal([$"GetAtt:{polledQueue}.Arn"], poll.Resources);
        if (hasDestination)
        {
            var destination = Assert.Single(statements, s => s.Sid == "OnFailureDestination");
            Assert.Equal(PlatformStatements["OnFailureDestination"], destination.Actions);
            Assert.Equal([TemplateJson.Render(RepositoryFiles.Properties("SignalFunction")["EventInvokeConfig"]!["DestinationConfig"]!["OnFailure"]!["Destination"]!)], destination.Resources);
        }

        Assert.Equal(hasDestination ? 3 : 2, statements.Count);
    }

    [Theory]
    [InlineData("SignalFunctionRole")]
    [InlineData("ExportFunctionRole")]
    public void Statements_OfRole_HaveNoWildcardActionsAndStarOnlyWhereIamAllowsNothingNarrower(string role)
    {
        foreach (var statement in Statements(role))
        {
            Assert.Equal("Allow", statement.Effect);
            Assert.All(statement.Actions, a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));
            if (statement.Resources.Contains("*"))
            {
                Assert.Equal(["*"], statement.Resources);
                Assert.All(statement.Actions, a => Assert.Contains(a, IamActions.WithoutResourceLevelPermissions));
            }
            else
            {
                Assert.All(statement.Resources, r => Assert.True(
                    !r.Contains('*', StringComparison.Ordinal) || r.EndsWith("${StatePrefix}/*", StringComparison.Ordinal) || r.EndsWith("${ExportPrefix}/*", StringComparison.Ordinal) || r.EndsWith("${Name}:*", StringComparison.Ordinal),
                    $"{role}/{statement.Sid}: wildcard in resource {r}"));
            }
        }
    }

    [Fact]
    public void WithoutResourceLevelPermissions_ActionsGrantedOnStar_AreExactlyTheDescribeCalls()
    {
        var onStar = Statements("ExportFunctionRole").Where(s => s.Resources.Contains("*")).SelectMany(s => s.Actions).Order(StringComparer.Ordinal);

        Assert.Equal(["logs:DescribeExportTasks", "logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery"], onStar);
        Assert.DoesNotContain(Statements("SignalFunctionRole"), s => s.Resources.Contains("*"));
    }

    [Fact]
    public void SendMessage_PerFunction_IsScopedToItsQueues()
    {
        var signal = Statements("SignalFunctionRole").Where(s => s.Actions.Contains(IamActions.SqsSendMessage) && s.Sid != "OnFailureDestination").SelectMany(s => s.Resources);
        var export = Statements("ExportFunctionRole").Where(s => s.Actions.Contains(IamActions.SqsSendMessage)).SelectMany(s => s.Resources);

        Assert.Equal(["GetAtt:SignalQueue.Arn"], signal);
        Assert.Equal(["GetAtt:DeadLetterQueue.Arn", "GetAtt:SignalQueue.Arn"], export.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CheckpointObjects_ExportFunction_MayOnlyReadAndWriteTheStatePrefix()
    {
        // GetObject elsewhere only on the export prefix, to verify the exports (ExportPrefix_ExportFunction_...).
        var objects = Assert.Single(Statements("ExportFunctionRole"), s => s.Actions.Contains(IamActions.S3GetObject) && s.Sid != "VerifyExports");
        var list = Assert.Single(Statements("ExportFunctionRole"), s => s.Actions.Contains(IamActions.S3ListBucket));

        Assert.Equal("ReadWriteCheckpoints", objects.Sid);
        Assert.Equal([IamActions.S3GetObject, IamActions.S3PutObject], objects.Actions.Order(StringComparer.Ordinal));
        Assert.Equal(["Sub:arn:${AWS::Partition}:s3:::${Bucket}/${StatePrefix}/*"], objects.Resources);
        Assert.Equal([IamActions.S3ListBucket], list.Actions);
        Assert.Equal(["Sub:arn:${AWS::Partition}:s3:::${Bucket}"], list.Resources);
    }

    [Fact]
    public void ExportPrefix_ExportFunction_MayOnlyPutObjectsAsCreateExportTasksCallerAndReadThemToVerify()
    {
        // "When you perform a CreateExportTask operation, you must use credentials that have permission to
        // write to the S3 bucket that you specify as the destination" (CloudWatch Logs API reference).
        var onExportPrefix = Statements("ExportFunctionRole").Where(s => s.Resources.Any(r => r.Contains("ExportPrefix", StringComparison.Ordinal))).ToList();

        Assert.Equal(2, onExportPrefix.Count);
        var write = Assert.Single(onExportPrefix, s => s.Sid == "WriteExports");
        var read = Assert.Single(onExportPrefix, s => s.Sid == "VerifyExports");
        Assert.Equal([IamActions.S3GetObject], read.Actions);
        Assert.Equal(["Sub:arn:${AWS::Partition}:s3:::${Bucket}/${ExportPrefix}/*"], read.Resources);
        Assert.Empty(read.Conditions);
        Assert.Equal([IamActions.S3PutObject], write.Actions);
        Assert.Equal(["Sub:arn:${AWS::Partition}:s3:::${Bucket}/${ExportPrefix}/*"], write.Resources);
        Assert.Empty(write.Conditions);
        Assert.True(IamActions.IsImplied(nameof(CloudWatchExportTasks), IamActions.S3PutObject));
    }

    [Fact]
    public void CreateExportTask_ExportFunction_IsScopedToTheExportedLogGroups()
    {
        var statements = Statements("ExportFunctionRole").Where(s => s.Actions.Contains(IamActions.LogsCreateExportTask)).ToList();
        var resources = statements.SelectMany(s => s.Resources).ToList();

        Assert.Equal(
            Enumerable.Range(1, TemplateSubscriptionTests.Slots).Select(slot => $"HasLogGroup{slot}").Append("CreateFlowLog").Order(StringComparer.Ordinal),
            statements.SelectMany(s => s.Conditions).Order(StringComparer.Ordinal));
        // The same log groups are verified: counted with Logs Insights (StartQuery), read with FilterLogEvents.
        Assert.All(statements, s => Assert.Equal([IamActions.LogsCreateExportTask, IamActions.LogsFilterLogEvents, IamActions.LogsStartQuery], s.Actions));
        Assert.Equal(statements.Count, Statements("ExportFunctionRole").Count(s => s.Actions.Contains(IamActions.LogsStartQuery)));
        // Two ARN forms (log-group:NAME and log-group:NAME:*) per listed slot, plus the flow-log group.
        Assert.Equal((2 * TemplateSubscriptionTests.Slots) + 2, resources.Count);
        Assert.All(resources, r => Assert.True(
            r.StartsWith("Sub:arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:", StringComparison.Ordinal) || r == "GetAtt:FlowLogGroup.Arn",
            $"not a log group ARN: {r}"));
    }

    internal sealed record Statement(string Sid, string Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, IReadOnlyList<string> Conditions);

    /// <summary>
    /// The policy statements of a role, Fn::If expanded (each with the conditions it is under): its inline policies,
    /// then the AWS::IAM::RolePolicy resources attached to it (under the resource's condition).
    /// </summary>
    internal static IReadOnlyList<Statement> Statements(string role)
    {
        var documents = RepositoryFiles.Properties(role)["Policies"]!.AsArray()
            .Select(policy => (Document: policy!["PolicyDocument"]!, Conditions: (IReadOnlyList<string>)[]))
            .Concat(RepositoryFiles.ResourcesOfType("AWS::IAM::RolePolicy")
                .Select(RepositoryFiles.Resource)
                .Where(r => (string?)r["Properties"]!["RoleName"]!["Ref"] == role)
                .Select(r => (Document: r["Properties"]!["PolicyDocument"]!, Conditions: (IReadOnlyList<string>)(r["Condition"] is { } c ? [(string)c!] : []))));
        var statements = new List<Statement>();
        foreach (var (document, outer) in documents)
        {
            foreach (var (node, inner) in TemplateJson.Items(document["Statement"]))
            {
                var conditions = outer.Concat(inner).ToList();
                var statement = node.AsObject();
                Assert.Null(statement["NotAction"]);
                Assert.Null(statement["NotResource"]);
                statements.Add(new Statement(
                    (string?)statement["Sid"] ?? throw new InvalidOperationException($"{role}: a statement without Sid"),
                    (string)statement["Effect"]!,
                    TemplateJson.Strings(statement["Action"]),
                    TemplateJson.Strings(statement["Resource"]),
                    conditions));
            }
        }

        return statements;
    }
}
