using System.IO.Compression;
using System.Text.Json;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Tests.Harness;

public sealed class SubscriptionEncoderTests
{
    private static readonly SubscriptionEvent[] Events =
    [
        new(SubscriptionEncoder.EventId(1_795_700_000_000, 1), 1_795_700_000_000, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 1000 1795700000 1795700030 ACCEPT OK"),
        new(SubscriptionEncoder.EventId(1_795_700_060_000, 2), 1_795_700_060_000, "2 123456789012 eni-1 10.0.0.1 10.0.0.3 53 49153 17 1 80 1795700060 1795700060 ACCEPT OK"),
        new(SubscriptionEncoder.EventId(1_795_699_900_000, 3), 1_795_699_900_000, "2 123456789012 eni-1 10.0.0.1 10.0.0.4 22 49154 6 5 400 1795699900 1795699910 REJECT OK"),
    ];

    [Fact]
    public void DataMessage_DecodesWithTheSignalFunctionsDecoder()
    {
        var invocation = SubscriptionEncoder.DataMessage("123456789012", "/vpc/a", "eni-1-all", Events);

        var summary = SubscriptionPayload.Decode(invocation);

        Assert.Equal(
            (SubscriptionPayload.DataMessage, "123456789012", "/vpc/a", "eni-1-all", 3L, 1_795_699_900_000L, 1_795_700_060_000L),
            (summary.MessageType, summary.Owner, summary.LogGroup, summary.LogStream, summary.EventCount, summary.FirstEventTime, summary.LastEventTime));
    }

    [Fact]
    public void DataMessage_IsAwslogsDataBase64GzipJsonLikeCloudWatchLogs()
    {
        var invocation = SubscriptionEncoder.DataMessage("123456789012", "/vpc/a", "eni-1-all", Events);

        using var outer = JsonDocument.Parse(invocation);
        var data = Convert.FromBase64String(outer.RootElement.GetProperty("awslogs").GetProperty("data").GetString()!);
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var inner = JsonDocument.Parse(gzip);
        var root = inner.RootElement;
        Assert.Equal(["messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal([SubscriptionEncoder.FilterName], root.GetProperty("subscriptionFilters").EnumerateArray().Select(f => f.GetString()));
        var first = root.GetProperty("logEvents")[0];
        Assert.Equal(56, first.GetProperty("id").GetString()!.Length);
        Assert.Equal(Events[0].Message, first.GetProperty("message").GetString());
        Assert.Equal(Events[0].Timestamp, first.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public void ControlMessage_IsRecognisedAsControl()
    {
        var summary = SubscriptionPayload.Decode(SubscriptionEncoder.ControlMessage("/vpc/a", 1_795_700_000_000));

        Assert.True(summary.IsControlMessage);
    }
}
