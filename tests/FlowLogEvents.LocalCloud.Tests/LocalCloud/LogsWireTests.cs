using System.Text;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud;

public sealed class LogsWireTests
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ParseCreateExportTask_NoDestinationPrefix_DefaultsToExportedlogs()
    {
        var spec = LogsWire.ParseCreateExportTask(Json("""{"taskName":"n","logGroupName":"/g","from":1,"to":1,"destination":"b"}"""));

        Assert.Equal(new EmulatedExportTaskSpec("n", "/g", null, 1, 1, "b", "exportedlogs"), spec);
    }

    [Theory]
    [InlineData("""{"from":1,"to":2,"destination":"b"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/g","to":2,"destination":"b"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/g","from":1,"destination":"b"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/g","from":1,"to":2}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/g","from":3,"to":2,"destination":"b"}""", "InvalidParameterException")]
    [InlineData("""{"logGroupName":"/g","from":"x","to":2,"destination":"b"}""", "SerializationException")]
    [InlineData("""not json""", "SerializationException")]
    public void ParseCreateExportTask_MissingOrInvalidMembers_ThrowsAwsError(string body, string code)
    {
        Assert.Equal(code, Assert.Throws<ExportTaskException>(() => LogsWire.ParseCreateExportTask(Json(body))).Code);
    }

    [Fact]
    public void DescribeExportTasksResult_Task_HasAwsWireShape()
    {
        var task = new ExportTaskView("id-1", new EmulatedExportTaskSpec("n", "/g", null, 1, 2, "b", "p"), "COMPLETED", "Completed successfully", 10, 20, 3, false);

        var json = Encoding.UTF8.GetString(LogsWire.DescribeExportTasksResult(new DescribePage([task], "7")));

        Assert.Equal(
            """{"exportTasks":[{"taskId":"id-1","taskName":"n","logGroupName":"/g","from":1,"to":2,"destination":"b","destinationPrefix":"p","status":{"code":"COMPLETED","message":"Completed successfully"},"executionInfo":{"creationTime":10,"completionTime":20}}],"nextToken":"7"}""",
            json);
    }

    [Fact]
    public void Error_LimitExceeded_IsTheAwsBody()
    {
        Assert.Equal(
            """{"__type":"LimitExceededException","message":"Resource limit exceeded."}""",
            Encoding.UTF8.GetString(LogsWire.Error("LimitExceededException", "Resource limit exceeded.")));
    }

    [Fact]
    public void AcceptedPutLogEvents_RejectedIndices_LeavesOutTooOldAndTooNewEvents()
    {
        var request = Json("""{"logGroupName":"/g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"old"},{"timestamp":2,"message":"ok"},{"timestamp":3,"message":"ok2"},{"timestamp":4,"message":"new"}]}""");
        var answer = Json("""{"nextSequenceToken":"1","rejectedLogEventsInfo":{"tooOldLogEventEndIndex":0,"tooNewLogEventStartIndex":3}}""");

        var accepted = LogsWire.AcceptedPutLogEvents(request, answer);

        Assert.NotNull(accepted);
        Assert.Equal(("/g", "s"), (accepted.Value.LogGroupName, accepted.Value.LogStreamName));
        Assert.Equal([(2L, "ok"), (3L, "ok2")], accepted.Value.Events);
    }
}
