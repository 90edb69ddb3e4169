using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Template;

/// <summary>Subscription filters and the Lambda permissions CloudWatch Logs needs to invoke the signal function.</summary>
public sealed class TemplateSubscriptionTests
{
    /// <summary>How many log groups of the LogGroupNames list the template subscribes (one slot each).</summary>
    public const int Slots = 10;

    [Fact]
    public void SubscriptionFilters_OnePerSlotPlusTheFlowLogGroup_AllTargetTheSignalFunction()
    {
        var filters = RepositoryFiles.ResourcesOfType("AWS::Logs::SubscriptionFilter");

        Assert.Equal(Slots + 1, filters.Count);
        Assert.All(filters, id =>
        {
            var properties = RepositoryFiles.Properties(id);
            Assert.Equal("GetAtt:SignalFunction.Arn", TemplateJson.Render(properties["DestinationArn"]!));
            Assert.Equal(string.Empty, (string?)properties["FilterPattern"]);
        });
    }

    [Fact]
    public void SubscriptionFilters_Each_DependsOnAPermissionScopedBySourceArnAndSourceAccount()
    {
        foreach (var id in RepositoryFiles.ResourcesOfType("AWS::Logs::SubscriptionFilter"))
        {
            var filter = RepositoryFiles.Resource(id);
            var permissionId = (string)filter["DependsOn"]!;
            var permission = RepositoryFiles.Resource(permissionId);
            var properties = permission["Properties"]!;

            Assert.Equal("AWS::Lambda::Permission", (string?)permission["Type"]);
            Assert.Equal((string?)filter["Condition"], (string?)permission["Condition"]);
            Assert.Equal("lambda:InvokeFunction", (string?)properties["Action"]);
            Assert.Equal("Sub:logs.${AWS::Region}.amazonaws.com", TemplateJson.Render(properties["Principal"]!));
            Assert.Equal("Ref:AWS::AccountId", TemplateJson.Render(properties["SourceAccount"]!));
            var sourceArn = TemplateJson.Render(properties["SourceArn"]!);
            Assert.True(
                sourceArn == "GetAtt:FlowLogGroup.Arn" || sourceArn == "Sub:arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Name}:*",
                $"{permissionId}: SourceArn {sourceArn}");
        }
    }

    /// <summary>
    /// The one padded-list expression: the LogGroupNames list behind an empty entry and followed by ten more, so that
    /// entry N of the split is slot N's log group (or "" when fewer are listed). Fn::ForEach can only hand a slot its
    /// number as a string, and Fn::Select takes a string index.
    /// </summary>
    public const string PaddedList =
        "{\"Fn::Split\":[\",\",{\"Fn::Join\":[\",\",[\"\",{\"Fn::Join\":[\",\",{\"Ref\":\"LogGroupNames\"}]},\",,,,,,,,,,\"]]}]}";

    [Fact]
    public void Slots_EachListedLogGroup_IsSelectedFromThePaddedParameterList()
    {
        for (var slot = 1; slot <= Slots; slot++)
        {
            var filter = RepositoryFiles.Resource($"SubscriptionFilter{slot}");
            var select = filter["Properties"]!["LogGroupName"]!["Fn::Select"]!.AsArray();
            var permission = RepositoryFiles.Properties($"SignalPermission{slot}")["SourceArn"]!["Fn::Sub"]![1]!["Name"]!["Fn::Select"]!.AsArray();

            Assert.Equal($"HasLogGroup{slot}", (string?)filter["Condition"]);
            Assert.Equal($"SignalPermission{slot}", (string?)filter["DependsOn"]);
            Assert.Equal(slot.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)select[0]);
            Assert.Equal(PaddedList, select[1]!.ToJsonString());
            Assert.Equal(select.ToJsonString(), permission.ToJsonString());
            Assert.Equal(
                $"{{\"Fn::Not\":[{{\"Fn::Equals\":[{select.Parent!.ToJsonString()},\"\"]}}]}}",
                RepositoryFiles.Template["Conditions"]![$"HasLogGroup{slot}"]!.ToJsonString());
        }

        Assert.Equal("CommaDelimitedList", (string?)RepositoryFiles.Template["Parameters"]!["LogGroupNames"]!["Type"]);
        Assert.Null(RepositoryFiles.Template["Resources"]![$"SubscriptionFilter{Slots + 1}"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(12)]
    public void Slots_ForListedLogGroups_SubscribeTheFirstTenInOrderAndGrantExactlyThem(int listed)
    {
        var names = Enumerable.Range(1, listed).Select(i => $"/vpc/group-{i}").ToList();
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(RepositoryFiles.WrittenTemplate.ToJsonString()));
        var template = ServerlessTemplate.Parse(json);
        var intrinsics = template.Intrinsics(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LogGroupNames"] = string.Join(',', names),
            ["ExportBucketName"] = "existing",
            ["SignalFunction"] = "signal",
            ["ExportBucket"] = "unused",
        });
        var subscribed = Math.Min(listed, Slots);
        var arn = "arn:aws:logs:us-east-1:123456789012:log-group:";

        for (var slot = 1; slot <= Slots; slot++)
        {
            var condition = (string)RepositoryFiles.Resource($"SubscriptionFilter{slot}")["Condition"]!;
            Assert.Equal(slot <= subscribed, intrinsics.Condition(condition));
            if (slot <= subscribed)
            {
                var filter = template.ResourceDefinition($"SubscriptionFilter{slot}").GetProperty("Properties").GetProperty("LogGroupName");
                var permission = template.ResourceDefinition($"SignalPermission{slot}").GetProperty("Properties").GetProperty("SourceArn");
                Assert.Equal(names[slot - 1], intrinsics.ResolveString(filter));
                Assert.Equal($"{arn}{names[slot - 1]}:*", intrinsics.ResolveString(permission));
            }
        }

        // CreateExportTask on exactly the subscribed log groups: slot N's AWS::IAM::RolePolicy on the export role, under
        // slot N's condition (an excluded resource grants nothing).
        var granted = new List<string?>();
        for (var slot = 1; slot <= Slots; slot++)
        {
            var policy = template.ResourceDefinition($"ExportPolicy{slot}");
            Assert.Equal(slot <= subscribed, intrinsics.Condition(policy.GetProperty("Condition").GetString()!));
            Assert.Equal("ExportFunctionRole", policy.GetProperty("Properties").GetProperty("RoleName").GetProperty("Ref").GetString());
            if (slot <= subscribed)
            {
                var statement = intrinsics.Resolve(policy.GetProperty("Properties").GetProperty("PolicyDocument"))!["Statement"]!.AsArray().Single()!;
                Assert.Equal("ExportListedLogGroup", (string?)statement["Sid"]);
                Assert.Equal(["logs:CreateExportTask", "logs:FilterLogEvents", "logs:StartQuery"], statement["Action"]!.AsArray().Select(a => (string?)a));
                granted.AddRange(statement["Resource"]!.AsArray().Select(r => (string?)r));
            }
        }

        Assert.Equal(names.Take(subscribed).SelectMany(n => new[] { arn + n, $"{arn}{n}:*" }), granted);
    }

    [Fact]
    public void SignalFunction_AsyncRetries_AreTheDefaultTwoWithinSixHours()
    {
        var config = RepositoryFiles.Properties("SignalFunction")["EventInvokeConfig"]!.AsObject();

        Assert.Equal(2, (int)config["MaximumRetryAttempts"]!);
        Assert.Equal(21600, (int)config["MaximumEventAgeInSeconds"]!);
    }
}
