using FlowLogEvents.Signals;
using static FlowLogEvents.Tests.Exports.CoordinatorHarness;

namespace FlowLogEvents.Tests.Signals;

/// <summary>
/// A signal's times are bounded by the clock and by what CloudWatch Logs accepts (PutLogEvents rejects events
/// older than 14 days or more than 2 hours in the future): anything beyond is malformed, never work.
/// </summary>
public sealed class SignalLimitsTests
{
    private const long WindowStart = T0 - Minute;

    private static Signal At(long first, long last, long windowStart = WindowStart, long windowEnd = T0) => DataSignal(first, last, windowStart, windowEnd);

    [Fact]
    public void Violation_UsualSignal_IsNull()
    {
        Assert.Null(SignalLimits.Violation(At(T0 - (20 * Minute), T0 - (30 * Second)), T0 + (5 * Minute)));
    }

    [Fact]
    public void Violation_ReplayedSignalAYearOld_IsNull()
    {
        Assert.Null(SignalLimits.Violation(At(WindowStart - (30 * Day), T0), T0 + (365 * Day) - Minute));
    }

    [Fact]
    public void Violation_FirstEventTimeZero_NamesTheFieldAndCloudWatchsLimit()
    {
        Assert.Equal(
            "signal firstEventTime 0 (1970-01-01T00:00:00.000Z) is more than 30 days before its windowStart 1795705140000 (2026-11-26T14:59:00.000Z): CloudWatch Logs accepts no event older than 14 days",
            SignalLimits.Violation(At(0, T0 - Second), T0));
    }

    [Theory]
    [InlineData(0L, null)]
    [InlineData(1L, "signal firstEventTime 1793113139999 (2026-10-27T14:58:59.999Z) is more than 30 days before its windowStart 1795705140000 (2026-11-26T14:59:00.000Z): CloudWatch Logs accepts no event older than 14 days")]
    public void Violation_FirstEventTimeAt30DaysBeforeTheWindow_IsTheLimit(long beyond, string? expected)
    {
        Assert.Equal(expected, SignalLimits.Violation(At(WindowStart - (30 * Day) - beyond, T0 - Second), T0));
    }

    [Theory]
    [InlineData(0L, null)]
    [InlineData(1L, "signal lastEventTime 1795713300001 (2026-11-26T17:15:00.001Z) is more than 2 h 15 min after its windowEnd 1795705200000 (2026-11-26T15:00:00.000Z): CloudWatch Logs accepts no event more than 2 hours in the future")]
    public void Violation_LastEventTimeAt2h15AfterTheWindow_IsTheLimit(long beyond, string? expected)
    {
        Assert.Equal(expected, SignalLimits.Violation(At(T0 - Minute, T0 + (135 * Minute) + beyond), T0));
    }

    [Fact]
    public void Violation_LastEventTimeBeyondAnyDate_SaysSo()
    {
        Assert.Equal(
            "signal lastEventTime 9000000000000000000 (not a representable instant) is more than 2 h 15 min after its windowEnd 1795705200000 (2026-11-26T15:00:00.000Z): CloudWatch Logs accepts no event more than 2 hours in the future",
            SignalLimits.Violation(At(T0 - Minute, 9_000_000_000_000_000_000), T0));
    }

    [Fact]
    public void Violation_WindowFrom1970_NamesTheWindow()
    {
        Assert.Equal(
            "signal windowStart 0 (1970-01-01T00:00:00.000Z) is more than 365 days before now (2026-11-26T15:00:00.000Z): no path keeps a signal that long",
            SignalLimits.Violation(At(0, 1000, 0, 60_000), T0));
    }

    [Theory]
    [InlineData(0L, null)]
    [InlineData(1L, "signal windowEnd 1795709700001 (2026-11-26T16:15:00.001Z) is more than 75 minutes after now (2026-11-26T15:00:00.000Z): a debounce window ends at most 60 minutes after it starts, on a clock at most 15 minutes ahead")]
    public void Violation_WindowEndAt75MinutesAfterNow_IsTheLimit(long beyond, string? expected)
    {
        var windowEnd = T0 + (75 * Minute) + beyond;

        Assert.Equal(expected, SignalLimits.Violation(At(T0, T0 + Second, T0 + (15 * Minute), windowEnd), T0));
    }

    [Theory]
    [InlineData(long.MinValue, long.MinValue + 1)]
    [InlineData(long.MaxValue - 1, long.MaxValue)]
    public void Violation_WindowAtTheEndsOfLong_IsAViolationNotAnOverflow(long windowStart, long windowEnd)
    {
        Assert.NotNull(SignalLimits.Violation(At(windowStart, windowStart, windowStart, windowEnd), T0));
    }

    [Fact]
    public void DecodeWithNow_SignalBeyondTheLimits_ThrowsSignalFormatException()
    {
        var body = SignalCodec.Encode(At(0, T0 - Second));

        var ex = Assert.Throws<SignalFormatException>(() => SignalCodec.Decode(body, T0));

        Assert.StartsWith("signal firstEventTime 0 ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, 0L, null)]
    [InlineData(-1L, 0L, "subscription delivery's first event 1794473099999 (2026-11-12T08:44:59.999Z) is more than 14 days 6 h 15 min before the invocation (2026-11-26T15:00:00.000Z): CloudWatch Logs accepts no event older than 14 days, and Lambda keeps an asynchronous event at most 6 hours")]
    [InlineData(0L, 1L, "subscription delivery's last event 1795713300001 (2026-11-26T17:15:00.001Z) is more than 2 h 15 min after the invocation (2026-11-26T15:00:00.000Z): CloudWatch Logs accepts no event more than 2 hours in the future")]
    public void DeliveryViolation_EventsAtCloudWatchsLimits_AreTheLimit(long firstShift, long lastShift, string? expected)
    {
        var first = T0 - (14 * Day) - (6 * Hour) - (15 * Minute) + firstShift;
        var last = T0 + (135 * Minute) + lastShift;

        Assert.Equal(expected, SignalLimits.DeliveryViolation(first, last, T0));
    }
}
