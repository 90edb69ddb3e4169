using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

public sealed class ProcessClockTests
{
    [Fact]
    public void Variables_AtSpeed30_ShiftAndSpeedTheWallClockOnlyWithTheMonotonicFixOff()
    {
        var clock = new SimulatedClock(DateTimeOffset.UtcNow.AddHours(-3), 30);

        var variables = new ProcessClock(clock, TimeSpan.Zero).Variables();

        Assert.Equal(["FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "FAKETIME_FORCE_MONOTONIC_FIX", "FAKETIME_NO_CACHE", "LD_PRELOAD"], variables.Keys.Order(StringComparer.Ordinal));
        Assert.Matches(@"^-10[0-9]{3}\.[0-9]{3}s x30$", variables["FAKETIME"]);
        Assert.Equal(("1", "0", "1", ProcessClock.LibraryPath), (variables["FAKETIME_DONT_FAKE_MONOTONIC"], variables[ProcessClock.MonotonicFixVariable], variables["FAKETIME_NO_CACHE"], variables["LD_PRELOAD"]));
    }
}
