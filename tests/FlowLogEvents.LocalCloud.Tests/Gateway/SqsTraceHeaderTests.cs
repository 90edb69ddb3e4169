using System.Text;
using System.Text.Json;
using FlowLogEvents.Local.Gateway;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>The gateway writes a function's X-Amzn-Trace-Id into SendMessage bodies as SQS's AWSTraceHeader.</summary>
public sealed class SqsTraceHeaderTests
{
    private const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage=a87bd80c:3";

    [Fact]
    public void AddTo_SendMessage_AddsAwsTraceHeaderKeepsTheRest()
    {
        var body = Encoding.UTF8.GetBytes("""{"MessageBody":"{\"logGroup\":\"/vpc/a\"}","MessageGroupId":"signals","MessageDeduplicationId":"d1","QueueUrl":"http://q/1/s.fifo","MessageAttributes":{"a":{"DataType":"String","StringValue":"b"}}}""");

        var traced = SqsTraceHeader.AddTo(body, "SendMessage", Trace);

        using var json = JsonDocument.Parse(traced);
        var root = json.RootElement;
        Assert.Equal("{\"logGroup\":\"/vpc/a\"}", root.GetProperty("MessageBody").GetString());
        Assert.Equal("d1", root.GetProperty("MessageDeduplicationId").GetString());
        Assert.Equal("b", root.GetProperty("MessageAttributes").GetProperty("a").GetProperty("StringValue").GetString());
        var attribute = root.GetProperty("MessageSystemAttributes").GetProperty("AWSTraceHeader");
        Assert.Equal("String", attribute.GetProperty("DataType").GetString());
        Assert.Equal(Trace, attribute.GetProperty("StringValue").GetString());
    }

    [Fact]
    public void AddTo_SendMessageBatch_AddsToEveryEntry()
    {
        var body = Encoding.UTF8.GetBytes("""{"QueueUrl":"http://q/1/s.fifo","Entries":[{"Id":"0","MessageBody":"x"},{"Id":"1","MessageBody":"y"}]}""");

        var traced = SqsTraceHeader.AddTo(body, "SendMessageBatch", Trace);

        using var json = JsonDocument.Parse(traced);
        var headers = json.RootElement.GetProperty("Entries").EnumerateArray()
            .Select(e => e.GetProperty("MessageSystemAttributes").GetProperty("AWSTraceHeader").GetProperty("StringValue").GetString())
            .ToList();
        Assert.Equal([Trace, Trace], headers);
    }

    [Fact]
    public void AddTo_AttributeAlreadySet_BodyUnchanged()
    {
        var body = Encoding.UTF8.GetBytes("""{"MessageBody":"x","MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1-1-1"}}}""");

        Assert.Same(body, SqsTraceHeader.AddTo(body, "SendMessage", Trace));
    }

    [Theory]
    [InlineData("ReceiveMessage", """{"QueueUrl":"http://q/1/s.fifo"}""")]
    [InlineData("SendMessage", "Action=SendMessage&MessageBody=x")]
    [InlineData("SendMessage", "[1,2]")]
    public void AddTo_NoMessageOrNotJsonObject_BodyUnchanged(string operation, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);

        Assert.Same(body, SqsTraceHeader.AddTo(body, operation, Trace));
    }
}
