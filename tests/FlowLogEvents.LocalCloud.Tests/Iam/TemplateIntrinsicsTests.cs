using System.Text.Json;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Iam;

/// <summary>CloudFormation's intrinsic functions as the local cloud resolves them for one deployment.</summary>
public sealed class TemplateIntrinsicsTests
{
    private const string Template = """
        {
          "Parameters": {
            "Bucket": { "Type": "String", "Default": "" },
            "Prefix": { "Type": "String", "Default": "exports" },
            "Names": { "Type": "CommaDelimitedList", "Default": "" },
            "Days": { "Type": "Number", "Default": 0 }
          },
          "Conditions": {
            "CreateBucket": { "Fn::Equals": [ { "Ref": "Bucket" }, "" ] },
            "Expire": { "Fn::Not": [ { "Fn::Equals": [ { "Ref": "Days" }, 0 ] } ] },
            "Both": { "Fn::And": [ { "Condition": "CreateBucket" }, { "Condition": "Expire" } ] },
            "Either": { "Fn::Or": [ { "Condition": "CreateBucket" }, { "Condition": "Expire" } ] }
          },
          "Resources": {}
        }
        """;

    private static (TemplateIntrinsics Intrinsics, JsonDocument Document) Load(Dictionary<string, string> refs)
    {
        var document = JsonDocument.Parse(Template);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["Made.Arn"] = "arn:aws:s3:::made" };
        return (new TemplateIntrinsics(document.RootElement, refs, attributes), document);
    }

    private static string Resolve(TemplateIntrinsics intrinsics, string json)
    {
        using var value = JsonDocument.Parse(json);
        return intrinsics.Resolve(value.RootElement)?.ToJsonString() ?? "<NoValue>";
    }

    [Theory]
    [InlineData("", "made-bucket")]
    [InlineData("existing", "existing")]
    public void Resolve_FnIfOverAParameterCondition_PicksTheBranchOfTheRunsParameters(string bucket, string expected)
    {
        var (intrinsics, document) = Load(new(StringComparer.Ordinal) { ["Bucket"] = bucket, ["Made"] = "made-bucket" });
        using (document)
        {
            Assert.Equal($"\"{expected}\"", Resolve(intrinsics, """{"Fn::If":["CreateBucket",{"Ref":"Made"},{"Ref":"Bucket"}]}"""));
        }
    }

    [Fact]
    public void Condition_AndOrNotOverNumbersAndNamedConditions_EvaluateAsCloudFormation()
    {
        var (defaults, d1) = Load(new(StringComparer.Ordinal));
        var (expiring, d2) = Load(new(StringComparer.Ordinal) { ["Days"] = "30" });
        using (d1)
        using (d2)
        {
            Assert.Equal((true, false, false, true), (defaults.Condition("CreateBucket"), defaults.Condition("Expire"), defaults.Condition("Both"), defaults.Condition("Either")));
            Assert.Equal((true, true, true, true), (expiring.Condition("CreateBucket"), expiring.Condition("Expire"), expiring.Condition("Both"), expiring.Condition("Either")));
        }
    }

    [Fact]
    public void Resolve_FnSubBothForms_SubstitutesParametersPseudoParametersAttributesAndLiterals()
    {
        var (intrinsics, document) = Load(new(StringComparer.Ordinal) { ["Bucket"] = "b" });
        using (document)
        {
            Assert.Equal("\"arn:aws:s3:::b/exports/*\"", Resolve(intrinsics, """{"Fn::Sub":"arn:${AWS::Partition}:s3:::${Bucket}/${Prefix}/*"}"""));
            Assert.Equal("\"arn:aws:s3:::made/x ${Literal} us-east-1 123456789012\"", Resolve(intrinsics, """{"Fn::Sub":"${Made.Arn}/x ${!Literal} ${AWS::Region} ${AWS::AccountId}"}"""));
            Assert.Equal("\"arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a:*\"", Resolve(intrinsics, """{"Fn::Sub":["arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Name}:*",{"Name":"/vpc/a"}]}"""));
        }
    }

    [Fact]
    public void Resolve_SelectSplitJoinOverACommaDelimitedList_PadsAndPicksAsTheTemplateDoes()
    {
        var (intrinsics, document) = Load(new(StringComparer.Ordinal) { ["Names"] = "/vpc/a,/vpc/b" });
        using (document)
        {
            const string padded = """{"Fn::Split":[",",{"Fn::Join":[",",[{"Fn::Join":[",",{"Ref":"Names"}]},",,,"]]}]}""";
            Assert.Equal("\"/vpc/b\"", Resolve(intrinsics, $$"""{"Fn::Select":[1,{{padded}}]}"""));
            Assert.Equal("\"\"", Resolve(intrinsics, $$"""{"Fn::Select":["2",{{padded}}]}"""));
            Assert.Equal("[\"/vpc/a\",\"/vpc/b\"]", Resolve(intrinsics, """{"Ref":"Names"}"""));
        }
    }

    [Fact]
    public void Resolve_NoValueInListsAndObjects_DropsTheElementOrProperty()
    {
        var (intrinsics, document) = Load(new(StringComparer.Ordinal) { ["Bucket"] = "b" });
        using (document)
        {
            Assert.Equal("[\"a\"]", Resolve(intrinsics, """["a",{"Fn::If":["CreateBucket","c",{"Ref":"AWS::NoValue"}]}]"""));
            Assert.Equal("{\"k\":\"v\"}", Resolve(intrinsics, """{"k":"v","gone":{"Ref":"AWS::NoValue"}}"""));
        }
    }

    [Fact]
    public void Resolve_UnknownRefOrAttribute_Throws()
    {
        var (intrinsics, document) = Load(new(StringComparer.Ordinal));
        using (document)
        {
            Assert.Throws<InvalidOperationException>(() => Resolve(intrinsics, """{"Ref":"Nothing"}"""));
            Assert.Throws<InvalidOperationException>(() => Resolve(intrinsics, """{"Fn::GetAtt":["Nothing","Arn"]}"""));
        }
    }
}
