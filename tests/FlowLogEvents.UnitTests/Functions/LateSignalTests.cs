using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Functions;

/// <summary>
/// Deliveries whose events are older than the settle delay (minus the clock skew margin) may be for a
/// range the export function already exported: they keep their own signal, stream and range.
/// </summary>
public sealed class LateSignalTests : IDisposable
{
    private const string LogGroup = "/vpc/flow-logs";
    private const long Minute = 60_000;

    // 2025-11-26T14:45:30Z, inside the debounce window [14:45:00, 14:46:00).
    private const long Now = 1764168330000;
    private const long WindowStart = 1764168300000;

    private readonly SignalFunctionUnderTest _sut = new(
        DateTimeOffset.FromUnixTimeMilliseconds(Now),
        new SignalSettings(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1)));

    public void Dispose() => _sut.Dispose();

    private static MemoryStream Delivery(string stream, params long[] timestamps) => FixtureFiles.Subscription(
        $$"""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"{{LogGroup}}","logStream":"{{stream}}","logEvents":[{{string.Join(',', timestamps.Select((t, i) => $$"""{"id":"{{i}}","timestamp":{{t}},"message":"m"}"""))}}]}""");

    private async Task InvokeAsync(MemoryStream delivery) => (await _sut.Function.HandleAsync(delivery)).Dispose();

    private static string LateId(string stream, long first, long last) =>
        $"{SignalPublisher.Hash(LogGroup)}-{WindowStart}-late-{SignalPublisher.Hash(stream)}-{first}-{last}";

    [Fact]
    public async Task HandleAsync_LateDeliveryAfterOnTimeOneInSameWindow_IsSentWithItsOwnStreamAndRangeId()
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (5 * Minute), Now - (4 * Minute)));

        await InvokeAsync(Delivery("eni-b-all", Now - (40 * Minute), Now - (38 * Minute)));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.Equal($"{SignalPublisher.Hash(LogGroup)}-{WindowStart}", _sut.Queue.Sent[0].DeduplicationId);
        Assert.Equal(LateId("eni-b-all", Now - (40 * Minute), Now - (38 * Minute)), _sut.Queue.Sent[1].DeduplicationId);
        var late = SignalCodec.Decode(_sut.Queue.Sent[1].Body);
        Assert.Equal(("eni-b-all", Now - (40 * Minute), Now - (38 * Minute)), (late.LogStream, late.FirstEventTime, late.LastEventTime));
        Assert.Empty(_sut.Telemetry.MetricValues(MetricNames.SignalsSuppressed));
        Assert.Equal([false, true], _sut.Telemetry.Events(LogEvents.SignalSent).Select(e => e.GetProperty("possiblyLate").GetBoolean()));
    }

    [Fact]
    public async Task HandleAsync_OnTimeDeliveryAfterLateOneInSameWindow_IsStillSuppressedByTheWarmInstance()
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (5 * Minute)));
        await InvokeAsync(Delivery("eni-b-all", Now - (40 * Minute)));

        await InvokeAsync(Delivery("eni-c-all", Now - (3 * Minute)));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.SignalsSuppressed));
    }

    [Fact]
    public async Task HandleAsync_TwoLateStreamsInOneWindow_GetDistinctIdsSoFifoKeepsBoth()
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (40 * Minute)));
        await InvokeAsync(Delivery("eni-b-all", Now - (40 * Minute)));

        Assert.Equal([LateId("eni-a-all", Now - (40 * Minute), Now - (40 * Minute)), LateId("eni-b-all", Now - (40 * Minute), Now - (40 * Minute))], _sut.Queue.Sent.Select(m => m.DeduplicationId));
    }

    [Fact]
    public async Task HandleAsync_SameLateDeliveryRetried_SendsTheSameIdSoFifoDropsTheDuplicate()
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (40 * Minute)));
        await InvokeAsync(Delivery("eni-a-all", Now - (40 * Minute)));

        Assert.Equal(2, _sut.Queue.Sent.Count);
        Assert.Equal(_sut.Queue.Sent[0].DeduplicationId, _sut.Queue.Sent[1].DeduplicationId);
    }

    /// <summary>Late from settle delay (15 min) minus skew margin (1 min): an export clock up to 1 min ahead may have exported through now - 14 min.</summary>
    [Theory]
    [InlineData(14 * Minute, true)]
    [InlineData((14 * Minute) - 1, false)]
    public async Task HandleAsync_FirstEventAgeAroundSettleMinusSkew_PossiblyLateExactlyFromTheBound(long age, bool possiblyLate)
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (2 * Minute)));

        await InvokeAsync(Delivery("eni-b-all", Now - age));

        Assert.Equal(possiblyLate ? 2 : 1, _sut.Queue.Sent.Count);
        Assert.Equal(possiblyLate ? 0 : 1, _sut.Telemetry.MetricValues(MetricNames.SignalsSuppressed).Count);
    }

    /// <summary>
    /// Late records ride along in ordinary deliveries (a flow log record aggregated or delivered late): the signal tells the
    /// oldest on-time event apart, so the export function learns the ordinary lag, not the late record's. The bound is the
    /// possibly-late one: an event 14 min old (settle 15 min minus skew 1 min) is not on time, one a millisecond younger is.
    /// </summary>
    [Fact]
    public async Task HandleAsync_LateRecordsRidingInADelivery_SignalCarriesTheOldestOnTimeEvent()
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (40 * Minute), Now - (14 * Minute), Now - (14 * Minute) + 1, Now - (5 * Minute)));

        var signal = SignalCodec.Decode(Assert.Single(_sut.Queue.Sent).Body);
        Assert.Equal((Now - (40 * Minute), Now - (14 * Minute) + 1, Now - (5 * Minute)), (signal.FirstEventTime, signal.OnTimeFirstEventTime, signal.LastEventTime));
    }

    [Theory]
    [InlineData(5L)]
    [InlineData(40L)]
    public async Task HandleAsync_DeliveryAllOnTimeOrAllLate_SignalHasNoOnTimeField(long firstAgeMinutes)
    {
        await InvokeAsync(Delivery("eni-a-all", Now - (firstAgeMinutes * Minute), Now - ((firstAgeMinutes - 1) * Minute)));

        var sent = Assert.Single(_sut.Queue.Sent);
        Assert.DoesNotContain("onTimeFirstEventTime", sent.Body, StringComparison.Ordinal);
        Assert.Null(SignalCodec.Decode(sent.Body).OnTimeFirstEventTime);
    }

    [Fact]
    public void Decode_OnTimeFirstOutsideTheRange_IsRefusedNamingTheField()
    {
        var body = $$"""{"schema":1,"kind":"data","logGroup":"{{LogGroup}}","firstEventTime":10,"lastEventTime":20,"onTimeFirstEventTime":21,"windowStart":0,"windowEnd":60000}""";

        var error = Assert.Throws<SignalFormatException>(() => SignalCodec.Decode(body));

        Assert.Equal("signal onTimeFirstEventTime 21 is outside [firstEventTime 10, lastEventTime 20]", error.Message);
    }

    [Fact]
    public void Read_SignalSettings_TakesSettleDelayAndSkewFromTheExportFunctionsVariables()
    {
        var env = new Dictionary<string, string> { ["SIGNAL_QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/1/q.fifo", ["SETTLE_DELAY_SECONDS"] = "1800", ["CLOCK_SKEW_SECONDS"] = "120" };

        var settings = SignalSettings.Read(new EnvironmentReader(name => env.GetValueOrDefault(name)));

        Assert.Equal(TimeSpan.FromMinutes(28), settings.LateAfter);
    }
}
