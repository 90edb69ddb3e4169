using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowLogEvents.Local.Iam;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Template;

/// <summary>infra/existing-bucket-policy.json: what an existing bucket needs, the same grants as the stack's own bucket policy.</summary>
public sealed partial class InfraPolicyTests
{
    private const string Bucket = "existing-exports";
    private const string Prefix = "team/flow-exports";

    private static readonly string[] Placeholders = ["<partition>", "<region>", "<account>", "<bucket>", "<ExportPrefix>"];

    private static string Written => File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "existing-bucket-policy.json"));

    /// <summary>The file with its placeholders replaced by one deployment's values.</summary>
    private static JsonNode Filled(string partition, string region, string account) => JsonNode.Parse(Written
        .Replace("<partition>", partition, StringComparison.Ordinal)
        .Replace("<region>", region, StringComparison.Ordinal)
        .Replace("<account>", account, StringComparison.Ordinal)
        .Replace("<bucket>", Bucket, StringComparison.Ordinal)
        .Replace("<ExportPrefix>", Prefix, StringComparison.Ordinal))!;

    /// <summary>The template's ExportBucketPolicy document resolved for a created bucket of the same name and prefix.</summary>
    private static JsonNode TemplatePolicy()
    {
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(RepositoryFiles.WrittenTemplate.ToJsonString()));
        var template = ServerlessTemplate.Parse(json);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal) { ["ExportBucket"] = Bucket, ["ExportPrefix"] = Prefix };
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["ExportBucket.Arn"] = $"arn:{TemplateIntrinsics.Partition}:s3:::{Bucket}" };
        var document = template.ResourceDefinition("ExportBucketPolicy").GetProperty("Properties").GetProperty("PolicyDocument");
        return template.Intrinsics(refs, attributes).Resolve(document)!;
    }

    [Fact]
    public void ExistingBucketPolicy_File_IsAPolicyDocumentWithOnlyTheDocumentedPlaceholders()
    {
        var document = JsonNode.Parse(Written)!.AsObject();
        var used = Placeholder().Matches(Written).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "README.md"));

        Assert.Equal("2012-10-17", (string?)document["Version"]);
        Assert.Equal(["CloudWatchLogsExportAclCheck", "CloudWatchLogsExportWrite", "DenyInsecureTransport"], document["Statement"]!.AsArray().Select(s => (string?)s!["Sid"]).Order(StringComparer.Ordinal));
        Assert.Equal(Placeholders.Order(StringComparer.Ordinal), used);
        Assert.All(Placeholders, p => Assert.Contains($"| `{p}` |", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void ExistingBucketPolicy_Filled_GrantsExactlyWhatTheTemplatesBucketPolicyGrants()
    {
        var filled = Filled(TemplateIntrinsics.Partition, LocalCloudResources.Region, LocalCloudResources.AccountId);
        var expected = TemplatePolicy();

        Assert.True(JsonNode.DeepEquals(expected, filled), $"template: {expected.ToJsonString()}\ninfra:    {filled.ToJsonString()}");
    }

    [Fact]
    public void ExistingBucketPolicy_Filled_LetsCloudWatchLogsExportUnderThePrefixOnly()
    {
        var policy = IamPolicy.Parse(Filled(TemplateIntrinsics.Partition, LocalCloudResources.Region, LocalCloudResources.AccountId));

        Assert.Null(ExportBucketPolicyCheck.Failure(policy, LocalCloudResources.Region, LocalCloudResources.AccountId, "/vpc/flow-logs", Bucket, Prefix));
        Assert.Equal(
            ExportBucketPolicyCheck.PutObjectFailedMessage,
            ExportBucketPolicyCheck.Failure(policy, LocalCloudResources.Region, LocalCloudResources.AccountId, "/vpc/flow-logs", Bucket, "other/prefix"));
        Assert.Equal(
            ExportBucketPolicyCheck.GetBucketAclFailedMessage,
            ExportBucketPolicyCheck.Failure(policy, LocalCloudResources.Region, "210987654321", "/vpc/flow-logs", Bucket, Prefix));
    }

    [GeneratedRegex("<[A-Za-z]+>")]
    private static partial Regex Placeholder();
}
