using FlowLogEvents.Local.Iam;

namespace FlowLogEvents.Tests.Iam;

/// <summary>IAM's evaluation logic as the local cloud models it: wildcards, Deny wins, NotAction/NotResource, conditions, principals.</summary>
public sealed class IamEvaluatorTests
{
    private static readonly Dictionary<string, string> NoKeys = new(StringComparer.Ordinal);

    private static IamRequestContext Request(string action, string resource, Dictionary<string, string>? keys = null, string? service = null) =>
        new(action, resource, keys ?? NoKeys, service);

    [Theory]
    [InlineData("s3:*", "s3:PutObject", true)]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("s3:Get*", "s3:PutObject", false)]
    [InlineData("S3:GETOBJECT", "s3:GetObject", true)]
    [InlineData("s3:?etObject", "s3:GetObject", true)]
    [InlineData("*", "logs:CreateExportTask", true)]
    public void Evaluate_ActionPattern_MatchesWithWildcardsCaseInsensitively(string pattern, string action, bool allowed)
    {
        var policy = IamPolicy.Parse($$"""{"Statement":[{"Effect":"Allow","Action":"{{pattern}}","Resource":"*"}]}""");

        var decision = IamEvaluator.Evaluate(policy, Request(action, "arn:aws:s3:::b/k"));

        Assert.Equal(allowed ? IamEffect.Allow : IamEffect.ImplicitDeny, decision.Effect);
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/state/*", "arn:aws:s3:::b/state/log-group.json", true)]
    [InlineData("arn:aws:s3:::b/state/*", "arn:aws:s3:::b/exports/x", false)]
    [InlineData("arn:aws:s3:::b/state/*", "arn:aws:s3:::b/state", false)]
    [InlineData("arn:aws:s3:::b/*", "arn:aws:s3:::b/exports/t/s/000000.gz", true)]
    [InlineData("arn:aws:s3:::b/exports/*", "arn:aws:s3:::b/exports/*", true)]
    [InlineData("arn:aws:s3:::B/*", "arn:aws:s3:::b/k", false)]
    public void Evaluate_ResourcePattern_MatchesWithWildcardsCaseSensitively(string pattern, string resource, bool allowed)
    {
        var policy = IamPolicy.Parse($$$"""{"Statement":{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["{{{pattern}}}"]}}""");

        Assert.Equal(allowed, IamEvaluator.Evaluate(policy, Request("s3:GetObject", resource)).Allowed);
    }

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_ExplicitDenyWins()
    {
        var policy = IamPolicy.Parse("""
            {"Statement":[
              {"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"},
              {"Sid":"NoState","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/state/*"}]}
            """);

        var denied = IamEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::b/state/g.json"));
        var allowed = IamEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::b/exports/x"));

        Assert.Equal((IamEffect.ExplicitDeny, "NoState"), (denied.Effect, denied.Statement!.Sid));
        Assert.Equal((IamEffect.Allow, "All"), (allowed.Effect, allowed.Statement!.Sid));
    }

    [Fact]
    public void Evaluate_NotActionAndNotResource_MatchEverythingElse()
    {
        var policy = IamPolicy.Parse("""
            {"Statement":[
              {"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"*"},
              {"Effect":"Deny","Action":"s3:PutObject","NotResource":"arn:aws:s3:::b/exports/*"}]}
            """);

        Assert.Equal(IamEffect.Allow, IamEvaluator.Evaluate(policy, Request("s3:GetObject", "arn:aws:s3:::b/k")).Effect);
        Assert.Equal(IamEffect.ImplicitDeny, IamEvaluator.Evaluate(policy, Request("s3:DeleteObject", "arn:aws:s3:::b/k")).Effect);
        Assert.Equal(IamEffect.Allow, IamEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::b/exports/x")).Effect);
        Assert.Equal(IamEffect.ExplicitDeny, IamEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::b/state/x")).Effect);
    }

    [Fact]
    public void Evaluate_NoStatementMatches_ImplicitDenyWithoutStatement()
    {
        var decision = IamEvaluator.Evaluate(IamPolicy.Parse("""{"Statement":[]}"""), Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q"));

        Assert.Equal((IamEffect.ImplicitDeny, null), (decision.Effect, decision.Statement));
    }

    [Theory]
    [InlineData("StringEquals", "123456789012", true)]
    [InlineData("StringEquals", "210987654321", false)]
    [InlineData("StringNotEquals", "210987654321", true)]
    [InlineData("StringLike", "1234*", true)]
    [InlineData("NumericEquals", "123456789012", false)] // an operator not modelled: no match
    [InlineData("ForAnyValue:StringEquals", "123456789012", false)]
    public void Evaluate_ConditionOperator_MatchesOnlyWhatItCanEvaluate(string op, string value, bool allowed)
    {
        var policy = IamPolicy.Parse($$$$"""{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"{{{{op}}}}":{"aws:SourceAccount":"{{{{value}}}}"}}}]}""");
        var keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:SourceAccount"] = "123456789012" };

        Assert.Equal(allowed, IamEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::b/k", keys)).Allowed);
    }

    [Fact]
    public void Evaluate_ConditionKeyTheRequestLacks_StatementDoesNotMatchUnlessIfExists()
    {
        var strict = IamPolicy.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}]}""");
        var ifExists = IamPolicy.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}}]}""");
        var deny = IamPolicy.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""");
        var tls = new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:SecureTransport"] = "true" };
        var plain = new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:SecureTransport"] = "false" };

        Assert.Equal(IamEffect.ImplicitDeny, IamEvaluator.Evaluate(strict, Request("s3:PutObject", "arn:aws:s3:::b/k")).Effect);
        Assert.Equal(IamEffect.Allow, IamEvaluator.Evaluate(ifExists, Request("s3:PutObject", "arn:aws:s3:::b/k")).Effect);
        Assert.Equal(IamEffect.Allow, IamEvaluator.Evaluate(deny, Request("s3:GetObject", "arn:aws:s3:::b/k", tls)).Effect);
        Assert.Equal(IamEffect.ExplicitDeny, IamEvaluator.Evaluate(deny, Request("s3:GetObject", "arn:aws:s3:::b/k", plain)).Effect);
    }

    [Fact]
    public void Evaluate_ResourcePolicyPrincipal_OnlyTheNamedServiceMatches()
    {
        var policy = IamPolicy.Parse("""{"Statement":[{"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::b"}]}""");

        Assert.True(IamEvaluator.Evaluate(policy, Request("s3:GetBucketAcl", "arn:aws:s3:::b", service: "logs.us-east-1.amazonaws.com")).Allowed);
        Assert.False(IamEvaluator.Evaluate(policy, Request("s3:GetBucketAcl", "arn:aws:s3:::b", service: "logs.eu-west-1.amazonaws.com")).Allowed);
        Assert.False(IamEvaluator.Evaluate(policy, Request("s3:GetBucketAcl", "arn:aws:s3:::b")).Allowed);
    }
}
