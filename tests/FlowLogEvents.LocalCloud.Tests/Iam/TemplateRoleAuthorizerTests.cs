using System.Text.Json.Nodes;
using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Local.Iam;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Template;

namespace FlowLogEvents.Tests.Iam;

/// <summary>The functions' requests against their roles in serverless.template (the repository's file), resolved for a deployment with listed log groups and an existing bucket.</summary>
public sealed class TemplateRoleAuthorizerTests
{
    private const string Bucket = "exports-bucket";
    private const string SignalQueueUrl = "http://127.0.0.1:5000/123456789012/signals.fifo";
    private const string DeadLetterQueueUrl = "http://127.0.0.1:5000/123456789012/dlq.fifo";
    private const string SignalFailureQueueUrl = "http://127.0.0.1:5000/123456789012/signal-failures";

    private static TemplateRoleAuthorizer Authorizer(JsonNode? template = null, Dictionary<string, string>? parameters = null)
    {
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes((template ?? RepositoryFiles.Template.DeepClone()).ToJsonString()));
        var parsed = ServerlessTemplate.Parse(json);
        var refs = new Dictionary<string, string>(parameters ?? [], StringComparer.Ordinal)
        {
            ["SignalQueue"] = SignalQueueUrl,
            ["DeadLetterQueue"] = DeadLetterQueueUrl,
            ["SignalFailureQueue"] = SignalFailureQueueUrl,
            ["ExportBucketName"] = Bucket,
            ["LogGroupNames"] = "/vpc/a,/vpc/b",
            ["SignalFunctionLogGroup"] = "/aws/lambda/signal",
            ["ExportFunctionLogGroup"] = "/aws/lambda/export",
        };
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SignalQueue.Arn"] = "arn:aws:sqs:us-east-1:123456789012:signals.fifo",
            ["DeadLetterQueue.Arn"] = "arn:aws:sqs:us-east-1:123456789012:dlq.fifo",
            ["SignalFailureQueue.Arn"] = "arn:aws:sqs:us-east-1:123456789012:signal-failures",
            ["SignalFunctionLogGroup.Arn"] = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/signal:*",
            ["ExportFunctionLogGroup.Arn"] = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/export:*",
        };
        return TemplateRoleAuthorizer.FromTemplate(parsed, parsed.Intrinsics(refs, attributes), "SignalFunction", "ExportFunction");
    }

    private static AwsRequestInfo CreateExportTask(string logGroup, string prefix = "flowlogevents/exports") => new()
    {
        Service = "logs",
        Operation = "CreateExportTask",
        HttpMethod = "POST",
        Region = "us-east-1",
        LogGroupName = logGroup,
        ExportDestination = Bucket,
        ExportDestinationPrefix = prefix,
    };

    private static AwsRequestInfo S3(string operation, string key) =>
        new() { Service = "s3", Operation = operation, HttpMethod = "PUT", Region = "us-east-1", Bucket = Bucket, Key = key };

    private static AwsRequestInfo Send(string queueUrl) =>
        new() { Service = "sqs", Operation = "SendMessage", HttpMethod = "POST", Region = "us-east-1", QueueUrl = queueUrl };

    [Fact]
    public void Authorize_ExportFunctionCreatesExportTaskForAListedLogGroup_Allowed()
    {
        var authorizer = Authorizer();

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), CreateExportTask("/vpc/b"));

        Assert.True(decision.Allowed, decision.Message);
        Assert.Equal(0, authorizer.DeniedCount);
    }

    [Fact]
    public void Authorize_TemplateWithoutTheExportPrefixWrite_CreateExportTaskAnswersTheCallerCannotWriteError()
    {
        var template = RepositoryFiles.Template.DeepClone();
        var statements = template["Resources"]!["ExportFunctionRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        statements.Remove(statements.Single(s => (string?)s?["Sid"] == "WriteExports"));
        var authorizer = Authorizer(template);

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), CreateExportTask("/vpc/a"));

        Assert.Equal((false, TemplateRoleAuthorizer.CallerCannotWriteMessage, "AccessDeniedException"), (decision.Allowed, decision.Message, decision.ErrorType));
        Assert.Equal(
            "IAM denied ExportFunction logs:CreateExportTask: AccessDeniedException: Please ensure that the CreateExportTask caller has been granted s3:PutObject access to the bucket. (User: arn:aws:sts::123456789012:assumed-role/flowlogevents-local-ExportFunctionRole/ExportFunction is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::exports-bucket/flowlogevents/exports/* because no identity-based policy allows the s3:PutObject action)",
            Assert.Single(authorizer.Denials));
    }

    [Fact]
    public void Authorize_CreateExportTaskToAnotherPrefix_CallerCannotWrite()
    {
        var authorizer = Authorizer();

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), CreateExportTask("/vpc/a", "other/exports"));

        Assert.Equal((false, TemplateRoleAuthorizer.CallerCannotWriteMessage), (decision.Allowed, decision.Message));
    }

    [Fact]
    public void Authorize_CreateExportTaskForAnUnlistedLogGroup_AccessDeniedNamingActionResourceAndRole()
    {
        var authorizer = Authorizer();

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), CreateExportTask("/vpc/other"));

        Assert.Equal(
            (false, "User: arn:aws:sts::123456789012:assumed-role/flowlogevents-local-ExportFunctionRole/ExportFunction is not authorized to perform: logs:CreateExportTask on resource: arn:aws:logs:us-east-1:123456789012:log-group:/vpc/other because no identity-based policy allows the logs:CreateExportTask action", (string?)null),
            (decision.Allowed, decision.Message, decision.ErrorType));
    }

    [Theory]
    [InlineData("GetObject", "flowlogevents/state/vpc/a.json", true)]
    [InlineData("PutObject", "flowlogevents/state/vpc/a.json", true)]
    [InlineData("PutObject", "flowlogevents/exports/x", true)] // CreateExportTask's caller must be able to write there
    [InlineData("GetObject", "flowlogevents/exports/x", true)] // the verification reads the exported objects
    [InlineData("GetObject", "other/x", false)]
    [InlineData("PutObject", "other/x", false)]
    [InlineData("DeleteObject", "flowlogevents/state/vpc/a.json", false)]
    [InlineData("DeleteObject", "flowlogevents/exports/x", false)] // a surplus is reported, never deleted
    public void Authorize_ExportFunctionS3Request_OnlyTheStateAndExportPrefixesAndNeverDeletes(string operation, string key, bool allowed)
    {
        var authorizer = Authorizer();

        Assert.Equal(allowed, authorizer.Authorize(authorizer.Role("ExportFunction"), S3(operation, key)).Allowed);
    }

    [Fact]
    public void Authorize_SendMessage_SignalFunctionOnlyToTheSignalQueueExportFunctionAlsoToTheDlq()
    {
        var authorizer = Authorizer();

        Assert.True(authorizer.Authorize(authorizer.Role("SignalFunction"), Send(SignalQueueUrl)).Allowed);
        Assert.False(authorizer.Authorize(authorizer.Role("SignalFunction"), Send(DeadLetterQueueUrl)).Allowed);
        Assert.True(authorizer.Authorize(authorizer.Role("ExportFunction"), Send(DeadLetterQueueUrl)).Allowed);
        Assert.Equal(1, authorizer.DeniedCount);
    }

    [Theory]
    [InlineData("ReceiveMessage")]
    [InlineData("DeleteMessage")]
    [InlineData("GetQueueAttributes")]
    public void Authorize_EventSourceMappingPoll_ExportRoleOnTheSignalQueueOnly(string operation)
    {
        var authorizer = Authorizer();
        AwsRequestInfo Poll(string url) => new() { Service = "sqs", Operation = operation, HttpMethod = "POST", Region = "us-east-1", QueueUrl = url };

        Assert.True(authorizer.Authorize(authorizer.Role("ExportFunction"), Poll(SignalQueueUrl)).Allowed);
        Assert.False(authorizer.Authorize(authorizer.Role("ExportFunction"), Poll(DeadLetterQueueUrl)).Allowed);
        Assert.False(authorizer.Authorize(authorizer.Role("SignalFunction"), Poll(SignalQueueUrl)).Allowed);
    }

    [Theory]
    [InlineData("ReceiveMessage")]
    [InlineData("DeleteMessage")]
    [InlineData("GetQueueAttributes")]
    [InlineData("SendMessage")]
    public void Authorize_FailureQueue_SignalRoleOnlyPollsAndFillsIt(string operation)
    {
        var authorizer = Authorizer();
        AwsRequestInfo Request(string url) => new() { Service = "sqs", Operation = operation, HttpMethod = "POST", Region = "us-east-1", QueueUrl = url };

        Assert.True(authorizer.Authorize(authorizer.Role("SignalFunction"), Request(SignalFailureQueueUrl)).Allowed);
        Assert.False(authorizer.Authorize(authorizer.Role("ExportFunction"), Request(SignalFailureQueueUrl)).Allowed);
    }

    private static AwsRequestInfo Logs(string operation, string? logGroup = null) =>
        new() { Service = "logs", Operation = operation, HttpMethod = "POST", Region = "us-east-1", LogGroupName = logGroup };

    /// <summary>The repository's template with the export role's verification grants (if any) replaced by <paramref name="statements"/>.</summary>
    /// <summary>
    /// The template with the verification's four actions taken out of every statement that grants them (the export role's
    /// inline policy and each slot's RolePolicy), then <paramref name="statements"/> added to the inline policy.
    /// </summary>
    private static JsonNode WithVerificationGrants(params JsonNode[] statements)
    {
        string[] verification = ["logs:StartQuery", "logs:FilterLogEvents", "logs:GetQueryResults", "logs:StopQuery"];
        var template = RepositoryFiles.Template.DeepClone();
        var stripped = 0;
        foreach (var statement in Descendants(template).OfType<JsonObject>().Where(o => o["Action"] is JsonArray).ToList())
        {
            var actions = statement["Action"]!.AsArray();
            foreach (var action in actions.Where(a => verification.Contains((string?)a)).ToList())
            {
                actions.Remove(action);
                stripped++;
            }

            if (actions.Count == 0 && statement.Parent is JsonArray list)
            {
                list.Remove(statement);
            }
        }

        Assert.Equal(24, stripped); // StartQuery and FilterLogEvents of 10 slots and of the flow log group, GetQueryResults, StopQuery
        var existing = template["Resources"]!["ExportFunctionRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        foreach (var statement in statements)
        {
            existing.Add(statement);
        }

        return template;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    private static JsonNode Grant(string[] actions, params string[] resources) =>
        JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new { Effect = "Allow", Action = actions, Resource = resources }))!;

    [Theory]
    [InlineData("StartQuery", "/vpc/a")]
    [InlineData("FilterLogEvents", "/vpc/a")]
    [InlineData("GetQueryResults", null)]
    [InlineData("StopQuery", null)]
    public void Authorize_VerificationReadWithoutAGrant_Denied(string operation, string? logGroup)
    {
        var authorizer = Authorizer(WithVerificationGrants());

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), Logs(operation, logGroup));

        Assert.False(decision.Allowed);
        Assert.Contains("logs:" + operation, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_VerificationReadsGrantedOnBothArnForms_Allowed()
    {
        var authorizer = Authorizer(WithVerificationGrants(
            Grant(["logs:StartQuery", "logs:FilterLogEvents"], "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a", "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a:*"),
            Grant(["logs:GetQueryResults", "logs:StopQuery"], "*")));
        var role = authorizer.Role("ExportFunction");

        Assert.All(
            new[] { Logs("StartQuery", "/vpc/a"), Logs("FilterLogEvents", "/vpc/a"), Logs("GetQueryResults"), Logs("StopQuery") },
            r => Assert.True(authorizer.Authorize(role, r).Allowed, r.Operation));
        Assert.False(authorizer.Authorize(role, Logs("StartQuery", "/vpc/b")).Allowed);
        Assert.Equal(1, authorizer.DeniedCount);
    }

    [Fact]
    public void Authorize_StartQueryGrantedOnOnlyTheStarArnForm_Denied()
    {
        var authorizer = Authorizer(WithVerificationGrants(Grant(["logs:StartQuery"], "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a:*")));

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), Logs("StartQuery", "/vpc/a"));

        Assert.Equal(
            (false, "User: arn:aws:sts::123456789012:assumed-role/flowlogevents-local-ExportFunctionRole/ExportFunction is not authorized to perform: logs:StartQuery on resource: arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a because no identity-based policy allows the logs:StartQuery action"),
            (decision.Allowed, decision.Message));
    }

    [Fact]
    public void Authorize_OperationTheTableDoesNotKnow_Denied()
    {
        var authorizer = Authorizer();

        var decision = authorizer.Authorize(authorizer.Role("ExportFunction"), new AwsRequestInfo { Service = "s3", Operation = "GetBucketPolicy", HttpMethod = "GET", Bucket = Bucket });

        Assert.False(decision.Allowed);
        Assert.Contains("s3:GetBucketPolicy", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", true)]
    public void Role_KmsKeyArnParameter_GrantsTheKeyOnlyWhenSet(string keyArn, bool granted)
    {
        var role = Authorizer(parameters: new(StringComparer.Ordinal) { ["KmsKeyArn"] = keyArn }).Role("ExportFunction");
        var key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var none = new Dictionary<string, string>(StringComparer.Ordinal);

        Assert.Equal(granted, IamEvaluator.Evaluate(role.Policy, new IamRequestContext("kms:GenerateDataKey", key, none)).Allowed);
        Assert.Equal(granted, IamEvaluator.Evaluate(role.Policy, new IamRequestContext("kms:Decrypt", key, none)).Allowed);
    }
}
