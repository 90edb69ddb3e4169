using System.Text.Json;
using FlowLogEvents.Configuration;
using FlowLogEvents.Observability;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Functions;

/// <summary>
/// A delivery whose event timestamps CloudWatch Logs could not have accepted (older than 14 days before the
/// invocation, allowing Lambda's 6-hour event age, or more than 2 hours ahead) is malformed: never a signal.
/// </summary>
public sealed class SignalTimeLimitsTests : IDisposable
{
    private const long Minute = 60_000;

    // 2025-11-26T14:45:30Z.
    private const long Now = 1764168330000;

    private readonly SignalFunctionUnderTest _sut = new(
        DateTimeOffset.FromUnixTimeMilliseconds(Now),
        new SignalSettings(SignalFunctionUnderTest.QueueUrl, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1)));

    public void Dispose() => _sut.Dispose();

    private static MemoryStream Delivery(params long[] timestamps) => FixtureFiles.Subscription(
        $$"""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/vpc/flow-logs","logStream":"eni-0a1b2c3d4e5f60718-all","logEvents":[{{string.Join(',', timestamps.Select((t, i) => $$"""{"id":"{{i}}","timestamp":{{t}},"message":"m"}"""))}}]}""");

    private async Task<JsonElement> InvokeAsync(MemoryStream delivery)
    {
        using var output = await _sut.Function.HandleAsync(delivery);
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task HandleAsync_EventTimestampZero_MalformedAndNoSignal()
    {
        var response = await InvokeAsync(Delivery(0, Now - Minute));

        Assert.Equal("malformed", response.GetProperty("result").GetString());
        Assert.Empty(_sut.Queue.Sent);
        var malformed = Assert.Single(_sut.Telemetry.Events(LogEvents.PayloadMalformed));
        Assert.Equal(
            "subscription delivery's first event 0 (1970-01-01T00:00:00.000Z) is more than 14 days 6 h 15 min before the invocation (2025-11-26T14:45:30.000Z): CloudWatch Logs accepts no event older than 14 days, and Lambda keeps an asynchronous event at most 6 hours",
            malformed.GetProperty("reason").GetString());
        Assert.Equal([1.0], _sut.Telemetry.MetricValues(MetricNames.MalformedPayloads));
    }

    [Fact]
    public async Task HandleAsync_EventThreeHoursAhead_MalformedAndNoSignal()
    {
        var response = await InvokeAsync(Delivery(Now - Minute, Now + (180 * Minute)));

        Assert.Equal("malformed", response.GetProperty("result").GetString());
        Assert.Empty(_sut.Queue.Sent);
    }

    [Fact]
    public async Task HandleAsync_EventsFourteenDaysOld_Signalled()
    {
        var response = await InvokeAsync(Delivery(Now - (14 * 24 * 60 * Minute), Now - Minute));

        Assert.Equal("Sent", response.GetProperty("result").GetString());
        Assert.Single(_sut.Queue.Sent);
    }
}
