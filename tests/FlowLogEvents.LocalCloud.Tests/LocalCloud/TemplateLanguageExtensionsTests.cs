using System.Text.Json.Nodes;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Template;

/// <summary>Fn::ForEach expanded the way AWS documents it (the local cloud and the template tests read the result).</summary>
public sealed class TemplateLanguageExtensionsTests
{
    private static readonly Func<string, IReadOnlyList<string>> NoParameters =
        name => throw new InvalidOperationException($"unexpected parameter {name}");

    private static JsonObject Expand(string json, Func<string, IReadOnlyList<string>>? listParameter = null) =>
        TemplateLanguageExtensions.Expand(JsonNode.Parse(json)!.AsObject(), listParameter ?? NoParameters);

    private static string Section(JsonObject template, string name) => template[name]!.ToJsonString();

    [Fact]
    public void Expand_ResourceLoop_CopiesTheFragmentOncePerValueWithDollarKeysAndRefValues()
    {
        var template = Expand("""
            {"Resources": {
              "Queue": {"Type": "AWS::SQS::Queue"},
              "Fn::ForEach::Topics": ["Name", ["Success", "Failure"], {
                "Topic${Name}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Name"}, "Other": {"Ref": "Queue"}}}
              }]
            }}
            """);

        Assert.Equal(
            """{"Queue":{"Type":"AWS::SQS::Queue"},"TopicSuccess":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"Success","Other":{"Ref":"Queue"}}},"TopicFailure":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"Failure","Other":{"Ref":"Queue"}}}}""",
            Section(template, "Resources"));
    }

    [Fact]
    public void Expand_AmpersandKey_DropsTheValuesNonAlphanumericCharacters()
    {
        var template = Expand("""
            {"Resources": {"Fn::ForEach::Groups": ["Group", ["/vpc/flow-logs", "/vpc/other_1"], {
              "Filter&{Group}": {"Type": "AWS::Logs::SubscriptionFilter", "Properties": {"LogGroupName": {"Ref": "Group"}}}
            }]}}
            """);

        Assert.Equal(
            """{"Filtervpcflowlogs":{"Type":"AWS::Logs::SubscriptionFilter","Properties":{"LogGroupName":"/vpc/flow-logs"}},"Filtervpcother1":{"Type":"AWS::Logs::SubscriptionFilter","Properties":{"LogGroupName":"/vpc/other_1"}}}""",
            Section(template, "Resources"));
    }

    [Fact]
    public void Expand_DollarKeyWithANonAlphanumericValue_IsRefusedAsALogicalId()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Expand("""
            {"Resources": {"Fn::ForEach::Groups": ["Group", ["/vpc/a"], {"Filter${Group}": {"Type": "AWS::Logs::SubscriptionFilter"}}]}}
            """));

        Assert.Equal("Resources: 'Filter/vpc/a' is not an alphanumeric logical id", error.Message);
    }

    [Fact]
    public void Expand_FnSub_TakesDollarIdentifiersAndBecomesAStringWhenNothingElseIsLeft()
    {
        var template = Expand("""
            {"Resources": {"Fn::ForEach::Slots": ["Slot", ["1"], {
              "Permission${Slot}": {"Type": "AWS::Lambda::Permission", "Condition": {"Fn::Sub": "Has${Slot}"}, "DependsOn": {"Fn::Sub": ["Fn${Slot}", {}]},
                "Properties": {
                  "Principal": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com/${Slot}"},
                  "SourceArn": {"Fn::Sub": ["arn:${AWS::Partition}:${Name}", {"Name": {"Fn::Select": [{"Ref": "Slot"}, ["a", "b"]]}}]},
                  "Escaped": {"Fn::Sub": "${!Slot}"}
                }}
            }]}}
            """);

        Assert.Equal(
            """{"Permission1":{"Type":"AWS::Lambda::Permission","Condition":"Has1","DependsOn":"Fn1","Properties":{"Principal":{"Fn::Sub":"logs.${AWS::Region}.amazonaws.com/1"},"SourceArn":{"Fn::Sub":["arn:${AWS::Partition}:${Name}",{"Name":{"Fn::Select":["1",["a","b"]]}}]},"Escaped":{"Fn::Sub":"${!Slot}"}}}}""",
            Section(template, "Resources"));
    }

    [Fact]
    public void Expand_ValuesOutsideFnSub_KeepTheIdentifierTextAsWritten()
    {
        // The RFC: only keys are an implicit Fn::Sub. And &{} is a key form only (cfn-language-discussion#162).
        var template = Expand("""
            {"Resources": {"Fn::ForEach::Slots": ["Slot", ["1"], {
              "Topic${Slot}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "name-${Slot}", "DisplayName": {"Fn::Sub": "x&{Slot}"}}}
            }]}}
            """);

        var properties = template["Resources"]!["Topic1"]!["Properties"]!;

        Assert.Equal("name-${Slot}", (string?)properties["TopicName"]);
        Assert.Equal("x&{Slot}", (string?)properties["DisplayName"]!["Fn::Sub"]);
    }

    [Fact]
    public void Expand_FnIf_LeavesTheConditionNameAndExpandsTheBranches()
    {
        var template = Expand("""
            {"Resources": {"Fn::ForEach::Slots": ["Slot", ["2"], {
              "Topic${Slot}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::If": ["Has${Slot}", {"Ref": "Slot"}, {"Ref": "AWS::NoValue"}]}}}
            }]}}
            """);

        Assert.Equal(
            """{"Topic2":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Fn::If":["Has${Slot}","2",{"Ref":"AWS::NoValue"}]}}}}""",
            Section(template, "Resources"));
    }

    [Fact]
    public void Expand_ConditionsAndOutputsLoops_ExpandThere()
    {
        var template = Expand("""
            {"Conditions": {"Always": {"Fn::Equals": ["a", "a"]}, "Fn::ForEach::Slots": ["Slot", ["1", "2"], {"Has${Slot}": {"Fn::Equals": [{"Ref": "Slot"}, "1"]}}]},
             "Resources": {},
             "Outputs": {"Fn::ForEach::Out": ["Slot", ["1"], {"Out${Slot}": {"Value": {"Fn::Sub": "v${Slot}"}}}]}}
            """);

        Assert.Equal("""{"Always":{"Fn::Equals":["a","a"]},"Has1":{"Fn::Equals":["1","1"]},"Has2":{"Fn::Equals":["2","1"]}}""", Section(template, "Conditions"));
        Assert.Equal("""{"Out1":{"Value":"v1"}}""", Section(template, "Outputs"));
    }

    [Fact]
    public void Expand_NestedLoops_SubstituteBothIdentifiers()
    {
        var template = Expand("""
            {"Resources": {"Fn::ForEach::Outer": ["Prefix", ["Public", "Transit"], {
              "Fn::ForEach::Inner": ["Suffix", ["A", "B"], {
                "${Prefix}Subnet${Suffix}": {"Type": "AWS::EC2::Subnet", "Properties": {"Name": {"Fn::Sub": "${Prefix}-${Suffix}"}}}
              }]
            }]}}
            """);

        Assert.Equal(
            ["PublicSubnetA", "PublicSubnetB", "TransitSubnetA", "TransitSubnetB"],
            template["Resources"]!.AsObject().Select(r => r.Key));
        Assert.Equal("Transit-B", (string?)template["Resources"]!["TransitSubnetB"]!["Properties"]!["Name"]);
    }

    [Fact]
    public void Expand_RefCollection_IteratesTheParametersValues()
    {
        var template = Expand(
            """{"Resources": {"Fn::ForEach::Topics": ["Name", {"Ref": "Names"}, {"Topic${Name}": {"Type": "AWS::SNS::Topic"}}]}}""",
            name => name == "Names" ? ["X", "Y"] : throw new InvalidOperationException(name));

        Assert.Equal(["TopicX", "TopicY"], template["Resources"]!.AsObject().Select(r => r.Key));
    }

    [Theory]
    [InlineData("""{"Resources": {"A1": {}, "Fn::ForEach::L": ["N", ["1"], {"A${N}": {}}]}}""", "Fn::ForEach::L: 'A1' is produced twice")]
    [InlineData("""{"Resources": {"Fn::ForEach::L": ["N", ["1", "1"], {"A${N}": {}}]}}""", "Fn::ForEach::L: 'A1' is produced twice")]
    [InlineData("""{"Resources": {"Fn::ForEach::L": ["N", [1, 2], {"A${N}": {}}]}}""", "Fn::ForEach::L: the collection must hold strings, not 1")]
    [InlineData("""{"Resources": {"Fn::ForEach::L": ["N", ["1"]]}}""", "Fn::ForEach::L: takes [identifier, collection, fragment object]")]
    [InlineData("""{"Resources": {"Fn::ForEach::L-1": ["N", ["1"], {"A${N}": {}}]}}""", "Fn::ForEach::L-1: the loop's name must be alphanumeric")]
    public void Expand_MalformedLoop_IsRefused(string json, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Expand(json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Expand_Transform_LeavesOnlyTheTransformsAfterLanguageExtensions()
    {
        var listed = Expand("""{"Transform": ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"], "Resources": {}}""");
        var single = Expand("""{"Transform": "AWS::LanguageExtensions", "Resources": {}}""");

        Assert.Equal("""["AWS::Serverless-2016-10-31"]""", listed["Transform"]!.ToJsonString());
        Assert.False(single.ContainsKey("Transform"));
    }

    [Fact]
    public void Expand_Template_LeavesTheWrittenTemplateAsItWas()
    {
        var written = JsonNode.Parse("""{"Resources": {"Fn::ForEach::L": ["N", ["1"], {"A${N}": {"Type": "T"}}]}}""")!.AsObject();
        var before = written.ToJsonString();

        var expanded = TemplateLanguageExtensions.Expand(written, NoParameters);

        Assert.Equal(before, written.ToJsonString());
        Assert.True(TemplateLanguageExtensions.HasLoops(written));
        Assert.False(TemplateLanguageExtensions.HasLoops(expanded));
    }
}
