using System.Text;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>The wire of StartQuery, GetQueryResults, StopQuery and FilterLogEvents as botocore's model describes it.</summary>
public sealed class LogsWireVerificationTests
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ParseStartQuery_LogGroupIdentifiersByNameAndArn_NamesInSecondsWithTheDefaultLimit()
    {
        var spec = LogsWire.ParseStartQuery(Json("""{"logGroupIdentifiers":["/vpc/a","arn:aws:logs:us-east-1:123456789012:log-group:/vpc/b"],"startTime":1764168300,"endTime":1764169200,"queryString":"stats count(*)"}"""));

        Assert.Equal(["/vpc/a", "/vpc/b"], spec.LogGroupNames);
        Assert.Equal((1_764_168_300L, 1_764_169_200L, "stats count(*)", 10_000), (spec.StartTime, spec.EndTime, spec.QueryString, spec.Limit));
    }

    [Theory]
    [InlineData("""{"startTime":1,"endTime":2,"queryString":"q"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","logGroupNames":["/a"],"startTime":1,"endTime":2,"queryString":"q"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupIdentifiers":["arn:aws:logs:us-east-1:123456789012:log-group:/a:*"],"startTime":1,"endTime":2,"queryString":"q"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":3,"endTime":2,"queryString":"q"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","endTime":2,"queryString":"q"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":1,"endTime":2}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":1,"endTime":2,"queryString":"q","limit":100001}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":1,"endTime":2,"queryString":"q","queryLanguage":"SQL"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":"1","endTime":2,"queryString":"q"}""", "SerializationException")]
    public void ParseStartQuery_InvalidMembers_ThrowsAwsError(string body, string code)
    {
        Assert.Equal(code, Assert.Throws<ExportTaskException>(() => LogsWire.ParseStartQuery(Json(body))).Code);
    }

    [Fact]
    public void GetQueryResultsResult_CompletePage_HasAwsWireShapeWithStatisticsAsDoubles()
    {
        var page = new InsightsQueryPage("Complete", [[new InsightsResultField("@logStream", "eni-a"), new InsightsResultField("events", "2")]], 2, 3, 105, 1, null);

        var json = Encoding.UTF8.GetString(LogsWire.GetQueryResultsResult(page));

        Assert.Equal(
            """{"queryLanguage":"CWLI","results":[[{"field":"@logStream","value":"eni-a"},{"field":"events","value":"2"}]],"statistics":{"recordsMatched":2,"recordsScanned":3,"estimatedRecordsSkipped":0,"bytesScanned":105,"estimatedBytesSkipped":0,"logGroupsScanned":1},"status":"Complete"}""",
            json);
    }

    [Fact]
    public void StartQueryAndStopQueryResults_HaveAwsWireShape()
    {
        Assert.Equal(("""{"queryId":"q-1"}""", """{"success":true}"""), (Encoding.UTF8.GetString(LogsWire.StartQueryResult("q-1")), Encoding.UTF8.GetString(LogsWire.StopQueryResult(true))));
        Assert.Equal("q-1", LogsWire.ParseStopQuery(Json("""{"queryId":"q-1"}""")));
        Assert.Equal(("q-1", "t", 5), LogsWire.ParseGetQueryResults(Json("""{"queryId":"q-1","nextToken":"t","maxItems":5}""")));
    }

    [Theory]
    [InlineData("""{"queryId":"q","maxItems":10001}""", "InvalidParameterException")]
    [InlineData("""{"maxItems":1}""", "InvalidParameterException")]
    public void ParseGetQueryResults_InvalidMembers_ThrowsAwsError(string body, string code)
    {
        Assert.Equal(code, Assert.Throws<ExportTaskException>(() => LogsWire.ParseGetQueryResults(Json(body))).Code);
    }

    [Fact]
    public void ParseFilterLogEvents_IdentifierArnStreamsAndRange_SpecWithTheDefaultLimit()
    {
        var spec = LogsWire.ParseFilterLogEvents(Json("""{"logGroupIdentifier":"arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a","logStreamNames":["eni-a"],"startTime":1000,"endTime":2000,"interleaved":true}"""));

        Assert.Equal(new FilterLogEventsSpec("/vpc/a", spec.LogStreamNames, null, 1_000, 2_000, null, 10_000), spec);
        Assert.Equal(["eni-a"], spec.LogStreamNames);
    }

    [Theory]
    [InlineData("""{}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","logGroupIdentifier":"/a"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","logStreamNames":["s"],"logStreamNamePrefix":"s"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","logStreamNames":[]}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","limit":10001}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","limit":0}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","startTime":5,"endTime":4}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","filterPattern":"REJECT"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/a","logStreamNames":"s"}""", "SerializationException")]
    public void ParseFilterLogEvents_InvalidMembers_ThrowsAwsError(string body, string code)
    {
        Assert.Equal(code, Assert.Throws<ExportTaskException>(() => LogsWire.ParseFilterLogEvents(Json(body))).Code);
    }

    [Fact]
    public void FilterLogEventsResult_Page_HasAwsWireShapeWithoutSearchedLogStreams()
    {
        var e = new IngestedEvent("eni-a", 1_000, "msg", 1_500) { Sequence = 7 };

        var json = Encoding.UTF8.GetString(LogsWire.FilterLogEventsResult(new FilterLogEventsPage([e], "tok")));

        Assert.Equal(
            """{"events":[{"logStreamName":"eni-a","timestamp":1000,"message":"msg","ingestionTime":1500,"eventId":"00000000000000000000100000000000000000000000000000000007"}],"nextToken":"tok"}""",
            json);
    }
}
