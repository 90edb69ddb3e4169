using System.Text;
using System.Text.Json;
using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Corpus;

/// <summary>Every subscription payload of Fixtures/corpus/subscription through the real signal handler.</summary>
public sealed class SubscriptionCorpusTests : IDisposable
{
    private const string Folder = "subscription";

    // 2025-11-26T14:45:30Z, 27 minutes after the corpus's first event.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1764168330000);

    private readonly SignalFunctionUnderTest _sut = new(Now, new SignalSettings(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60)));

    public static TheoryData<string> CaseNames => CorpusManifest.Names(Folder);

    public void Dispose() => _sut.Dispose();

    [Fact]
    public void Manifest_Subscription_CoversTheRequiredKindsOfBadInput()
    {
        var names = CorpusManifest.Cases(Folder).Select(c => c.GetProperty("case").GetString()).ToHashSet();

        Assert.Superset(
            new HashSet<string?> { "not-base64", "truncated-base64-partial-quantum", "truncated-base64-whole-quanta", "not-gzip", "gzip-bomb", "invalid-json", "missing-log-group", "timestamp-string", "enormous-message", "non-ascii-messages", "control-message", "unknown-log-group" },
            names);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task HandleAsync_CorpusCase_HasTheExpectedOutcome(string name)
    {
        var c = CorpusManifest.Case(Folder, name);
        var input = CorpusManifest.StringOrNull(c, "generate") is { } generator ? Generate(generator) : CorpusManifest.FileBytes(Folder, c);

        using var output = await _sut.Function.HandleAsync(new MemoryStream(input, writable: false));
        using var response = await JsonDocument.ParseAsync(output);

        var expectedResult = c.GetProperty("result").GetString();
        Assert.Equal(expectedResult, response.RootElement.GetProperty("result").GetString());
        if (expectedResult == "malformed")
        {
            var error = c.GetProperty("error").GetString();
            Assert.Equal(error, response.RootElement.GetProperty("error").GetString());
            Assert.Equal(0, _sut.Queue.SendCalls);
            var line = Assert.Single(_sut.Telemetry.LogLines);
            Assert.Equal(("ERROR", LogEvents.PayloadMalformed, error), (line.GetProperty("level").GetString(), line.GetProperty("event").GetString(), line.GetProperty("reason").GetString()));
            Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.MalformedPayloads));
        }
        else if (expectedResult == "Sent")
        {
            var expected = c.GetProperty("signal");
            var signal = SignalCodec.Decode(Assert.Single(_sut.Queue.Sent).Body);
            Assert.Equal(
                (expected.GetProperty("logGroup").GetString(), expected.GetProperty("logStream").GetString(), expected.GetProperty("firstEventTime").GetInt64(), expected.GetProperty("lastEventTime").GetInt64(), expected.GetProperty("eventCount").GetInt64()),
                (signal.LogGroup, signal.LogStream, signal.FirstEventTime, signal.LastEventTime, signal.EventCount));
            Assert.Empty(_sut.Telemetry.MetricValues(MetricNames.MalformedPayloads));
        }
        else
        {
            Assert.Equal(0, _sut.Queue.SendCalls);
            Assert.Single(_sut.Telemetry.Events(LogEvents.SignalSkipped));
            Assert.Empty(_sut.Telemetry.MetricValues(MetricNames.MalformedPayloads));
        }
    }

    /// <summary>Inputs too big to commit, built at test time.</summary>
    private static byte[] Generate(string generator)
    {
        switch (generator)
        {
            case "gzip-bomb":
                return Read(FixtureFiles.Awslogs(FixtureFiles.Gzip(Encoding.ASCII.GetBytes(new string(' ', 17 * 1024 * 1024)))));
            case "enormous-message":
                var message = new string('x', 6 * 1024 * 1024);
                return Read(FixtureFiles.Subscription($$"""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/vpc/flow-logs","logStream":"eni-0a1b2c3d4e5f60718-all","logEvents":[{"id":"1","timestamp":1764166680000,"message":"{{message}}"}]}"""));
            case "enormous-invocation":
                return Read(FixtureFiles.AwslogsData(new string('A', 9 * 1024 * 1024)));
            case "many-events":
                var events = string.Join(',', Enumerable.Range(0, 100_000).Select(i => $$"""{"id":"{{i}}","timestamp":{{1764166680000 + i}},"message":"m"}"""));
                return Read(FixtureFiles.Subscription($$"""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/vpc/flow-logs","logStream":"eni-0a1b2c3d4e5f60718-all","logEvents":[{{events}}]}"""));
            default:
                throw new InvalidOperationException($"unknown generator '{generator}'");
        }
    }

    private static byte[] Read(MemoryStream stream)
    {
        using (stream)
        {
            return stream.ToArray();
        }
    }
}
