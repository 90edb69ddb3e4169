using System.Text;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Signals;

/// <summary>
/// The decoder scans CloudWatch's own serialization of logEvents without tokenizing it and falls
/// back to the full JSON reader for anything else: both must give the same answers.
/// </summary>
public class SubscriptionPayloadFastPathTests
{
    private const string Header = """{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"/g","logStream":"s","subscriptionFilters":["f"],"logEvents":""";

    public static TheoryData<string, string, long, long, long> Shapes => new()
    {
        { "cloudwatch shape", """[{"id":"1","timestamp":30,"message":"a"},{"id":"2","timestamp":10,"message":"b"},{"id":"3","timestamp":20,"message":"c"}]}""", 3, 10, 30 },
        { "empty array", "[]}", 0, 0, 0 },
        { "escapes in message", """[{"id":"1","timestamp":5,"message":"{\"k\":\"v\\\/\u00e9\"}\n\t"},{"id":"2","timestamp":6,"message":"\\"}]}""", 2, 5, 6 },
        { "utf-8 in message", """[{"id":"1","timestamp":7,"message":"ü→ 日本"}]}""", 1, 7, 7 },
        { "negative and zero timestamps", """[{"id":"1","timestamp":-5,"message":"m"},{"id":"2","timestamp":0,"message":"m"}]}""", 2, -5, 0 },
        { "extractedFields (reader path)", """[{"id":"1","timestamp":8,"message":"a b","extractedFields":{"x":"a","y":"b"}},{"id":"2","timestamp":9,"message":"m"}]}""", 2, 8, 9 },
        { "whitespace (reader path)", """[ {"id": "1", "timestamp": 4, "message": "m"} ] }""", 1, 4, 4 },
        { "other member order (reader path)", """[{"timestamp":3,"id":"1","message":"m"}]}""", 1, 3, 3 },
        { "19-digit timestamp (reader path)", """[{"id":"1","timestamp":1000000000000000000,"message":"m"}]}""", 1, 1000000000000000000, 1000000000000000000 },
        { "member after logEvents", """[{"id":"1","timestamp":2,"message":"m"}],"policyLevel":"ACCOUNT_LEVEL_POLICY"}""", 1, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task DecodeAsync_EventArrayShapes_CountAndRangeAsTheReaderSeesThem(string label, string events, long count, long first, long last)
    {
        using var input = FixtureFiles.Subscription(Header + events);

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.True((count, first, last) == (summary.EventCount, summary.FirstEventTime, summary.LastEventTime), $"{label}: {summary}");
        Assert.Equal("/g", summary.LogGroup);
    }

    /// <summary>The on-time bound is applied the same way by the fast scan and the reader (events at or after it are on time).</summary>
    [Theory]
    [InlineData("cloudwatch shape", """[{"id":"1","timestamp":30,"message":"a"},{"id":"2","timestamp":10,"message":"b"},{"id":"3","timestamp":20,"message":"c"}]}""")]
    [InlineData("whitespace (reader path)", """[ {"id": "1", "timestamp": 30, "message": "a"}, {"id": "2", "timestamp": 10, "message": "b"}, {"id": "3", "timestamp": 20, "message": "c"} ] }""")]
    public async Task DecodeAsync_OnTimeBound_FirstOnTimeIsTheOldestEventAtOrAfterItOnBothPaths(string label, string events)
    {
        using var atBound = FixtureFiles.Subscription(Header + events);
        using var pastAll = FixtureFiles.Subscription(Header + events);
        using var noBound = FixtureFiles.Subscription(Header + events);

        var bounded = await SubscriptionPayload.DecodeAsync(atBound, onTimeFrom: 20);
        var none = await SubscriptionPayload.DecodeAsync(pastAll, onTimeFrom: 31);
        var all = await SubscriptionPayload.DecodeAsync(noBound);

        Assert.True((10L, 30L, (long?)20) == (bounded.FirstEventTime, bounded.LastEventTime, bounded.FirstOnTimeEventTime), $"{label}: {bounded}");
        Assert.True(none.FirstOnTimeEventTime is null, $"{label}: {none}");
        Assert.True(all.FirstOnTimeEventTime == 10, $"{label}: {all}");
    }

    [Fact]
    public async Task DecodeAsync_MembersAfterLogEvents_AreStillRead()
    {
        using var input = FixtureFiles.Subscription("""{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":2,"message":"m"}],"logGroup":"/late","logStream":"s2"}""");

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal(("/late", "s2", 1L), (summary.LogGroup, summary.LogStream, summary.EventCount));
    }

    [Theory]
    [InlineData("raw control character", "[{\"id\":\"1\",\"timestamp\":1,\"message\":\"a\u0001b\"}]}")]
    [InlineData("invalid escape", """[{"id":"1","timestamp":1,"message":"a\qb"}]}""")]
    [InlineData("short unicode escape", """[{"id":"1","timestamp":1,"message":"a\u00zz"}]}""")]
    [InlineData("leading zero", """[{"id":"1","timestamp":01,"message":"m"}]}""")]
    [InlineData("trailing comma", """[{"id":"1","timestamp":1,"message":"m"},]}""")]
    [InlineData("unterminated message", """[{"id":"1","timestamp":1,"message":"m""")]
    [InlineData("missing brace", """[{"id":"1","timestamp":1,"message":"m"]}""")]
    public async Task DecodeAsync_MalformedEventArray_ReportsTheReadersError(string label, string events)
    {
        using var input = FixtureFiles.Subscription(Header + events);

        var ex = await Assert.ThrowsAsync<PayloadFormatException>(() => SubscriptionPayload.DecodeAsync(input));

        Assert.True(ex.Message.StartsWith("decompressed payload is not valid JSON", StringComparison.Ordinal), $"{label}: {ex.Message}");
    }

    [Fact]
    public async Task DecodeAsync_TimestampNotAnInteger_KeepsTheEventIndexInTheMessage()
    {
        using var input = FixtureFiles.Subscription(Header + """[{"id":"1","timestamp":1,"message":"m"},{"id":"2","timestamp":1.5,"message":"m"}]}""");

        var ex = await Assert.ThrowsAsync<PayloadFormatException>(() => SubscriptionPayload.DecodeAsync(input));

        Assert.Equal("logEvents[1].timestamp is not an integer", ex.Message);
    }

    [Fact]
    public async Task DecodeAsync_GzipTrailerUnderstatesTheSize_StillInflatesEverything()
    {
        // Two gzip members: the trailer (ISIZE) names only the last, small one.
        var events = string.Join(',', Enumerable.Range(0, 5000).Select(i => $$"""{"id":"{{i}}","timestamp":{{i}},"message":"{{new string('x', 100)}}"}"""));
        var document = Encoding.UTF8.GetBytes(Header + "[" + events + "]}");
        var split = document.Length - 10;
        var compressed = FixtureFiles.Gzip(document[..split]).Concat(FixtureFiles.Gzip(document[split..])).ToArray();
        using var input = FixtureFiles.Awslogs(compressed);

        var summary = await SubscriptionPayload.DecodeAsync(input);

        Assert.Equal((5000L, 0L, 4999L, (long)document.Length), (summary.EventCount, summary.FirstEventTime, summary.LastEventTime, summary.DecompressedBytes));
    }
}
