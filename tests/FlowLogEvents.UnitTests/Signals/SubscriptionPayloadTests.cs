using System.Text;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Signals;

public class SubscriptionPayloadTests
{
    [Fact]
    public async Task DecodeAsync_AwsDocumentationSample_ExtractsGroupStreamCountAndRange()
    {
        using var input = FixtureFiles.Stream("subscription/aws-docs-sample.json");

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal(new SubscriptionSummary("DATA_MESSAGE", "123456789123", "testLogGroup", "testLogStream", 2, 1440442987000, 1440442987001, summary.DecompressedBytes, 1440442987000), summary);
        Assert.True(summary.DecompressedBytes > 200);
    }

    [Fact]
    public async Task DecodeAsync_VpcFlowLogsWithLateRecord_RangeCoversTheLateRecord()
    {
        using var input = FixtureFiles.Stream("subscription/vpc-flow-logs.json");

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal("/vpc/flow-logs", summary.LogGroup);
        Assert.Equal("eni-0a1b2c3d4e5f60718-all", summary.LogStream);
        Assert.Equal("123456789012", summary.Owner);
        Assert.Equal(6, summary.EventCount);
        Assert.Equal(1764166680000, summary.FirstEventTime);
        Assert.Equal(1764167640000, summary.LastEventTime);
    }

    [Fact]
    public async Task DecodeAsync_ControlMessage_IsControlWithNoEvents()
    {
        using var input = FixtureFiles.Stream("subscription/control-message.json");

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.True(summary.IsControlMessage);
        Assert.Equal(0, summary.EventCount);
    }

    [Fact]
    public async Task DecodeAsync_EscapedSlashesInBase64_DecodesLikeUnescaped()
    {
        var compressed = FixtureFiles.Gzip(Encoding.UTF8.GetBytes("""{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":5,"message":"m"}]}"""));
        var base64 = Convert.ToBase64String(compressed);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("{\"awslogs\":{\"data\":\"" + base64.Replace("/", "\\/", StringComparison.Ordinal) + "\"}}"));

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal(("g", "s", 1L, 5L, 5L), (summary.LogGroup, summary.LogStream, summary.EventCount, summary.FirstEventTime, summary.LastEventTime));
    }

    [Fact]
    public async Task DecodeAsync_UnicodeAndLargeMessages_CountsEveryEvent()
    {
        var events = string.Join(',', Enumerable.Range(0, 2000).Select(i => $$"""{"id":"{{i}}","timestamp":{{1000 + (i * 7 % 1999)}},"message":"ü→{{new string('x', 500)}}\n\"quoted\""}"""));
        using var input = FixtureFiles.Subscription($$"""{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/g","logStream":"s","subscriptionFilters":["f"],"logEvents":[{{events}}]}""");

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal(2000, summary.EventCount);
        Assert.Equal(1000, summary.FirstEventTime);
        Assert.Equal(2998, summary.LastEventTime);
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "not JSON", Encoding.UTF8.GetBytes("hello"), "invocation event is not valid JSON" },
        { "no awslogs", Encoding.UTF8.GetBytes("""{"Records":[]}"""), "awslogs is missing: not a CloudWatch Logs subscription event" },
        { "no data", Encoding.UTF8.GetBytes("""{"awslogs":{}}"""), "awslogs.data is missing" },
        { "data not a string", Encoding.UTF8.GetBytes("""{"awslogs":{"data":42}}"""), "awslogs.data is not a string" },
        { "not base64", Encoding.UTF8.GetBytes("""{"awslogs":{"data":"***not base64***"}}"""), "awslogs.data is not valid base64 (InvalidData)" },
        { "truncated base64", Encoding.UTF8.GetBytes("""{"awslogs":{"data":"H4sIAAAAAAAAA3"}}"""), "awslogs.data is not valid base64 (InvalidData)" },
        { "not gzip", Encoding.UTF8.GetBytes("{\"awslogs\":{\"data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"plain\":\"json\"}")) + "\"}}"), "awslogs.data is not gzip (no gzip header)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task DecodeAsync_MalformedEnvelope_ThrowsNamingTheProblem(string label, byte[] invocation, string expected)
    {
        using var input = new MemoryStream(invocation);

        var ex = await Assert.ThrowsAsync<PayloadFormatException>(() => SubscriptionPayload.DecodeAsync(input));

        Assert.True(ex.Message.StartsWith(expected, StringComparison.Ordinal), $"{label}: {ex.Message}");
    }

    [Theory]
    [InlineData("""{"owner":"1","logGroup":"g","logStream":"s","logEvents":[]}""", "messageType is missing")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logStream":"s","logEvents":[{"timestamp":1}]}""", "logGroup is missing")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logEvents":[{"timestamp":1}]}""", "logStream is missing")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s"}""", "logEvents is missing")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","message":"m"}]}""", "logEvents[0].timestamp is missing")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"timestamp":"yesterday"}]}""", "logEvents[0].timestamp is not an integer")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":7,"logStream":"s","logEvents":[]}""", "logGroup is not a string")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":{}}""", "logEvents is not an array")]
    [InlineData("""{"messageType":"SOMETHING_ELSE","logGroup":"g","logStream":"s","logEvents":[]}""", "messageType 'SOMETHING_ELSE' is neither DATA_MESSAGE nor CONTROL_MESSAGE")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"timestamp":1}""", "decompressed payload is not valid JSON")]
    public async Task DecodeAsync_MalformedDocument_ThrowsNamingTheProblem(string decoded, string expected)
    {
        using var input = FixtureFiles.Subscription(decoded);

        var ex = await Assert.ThrowsAsync<PayloadFormatException>(() => SubscriptionPayload.DecodeAsync(input));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeAsync_GzipBomb_StopsAtTheCap()
    {
        // 64 MiB of zeros compress to ~64 KiB.
        var bomb = FixtureFiles.Gzip(new byte[64 * 1024 * 1024]);
        using var input = FixtureFiles.Awslogs(bomb);

        var ex = await Assert.ThrowsAsync<PayloadFormatException>(() => SubscriptionPayload.DecodeAsync(input));

        Assert.Equal($"decompressed payload exceeds the {SubscriptionPayload.DefaultMaxDecompressedBytes} byte cap (gzip bomb?)", ex.Message);
        Assert.True(bomb.Length < 256 * 1024);
    }
}
