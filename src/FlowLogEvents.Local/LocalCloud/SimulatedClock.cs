using System.Diagnostics;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The one clock of a local run, shared by the harness, the local cloud and the functions (which take
/// a <see cref="TimeProvider"/>): simulated time runs <see cref="Speed"/> times faster than real time
/// from <see cref="Start"/>. Speed 1 is real time.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    public SimulatedClock(DateTimeOffset start, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(speed, 0);
        Start = start;
        Speed = speed;
    }

    public DateTimeOffset Start { get; }

    public double Speed { get; }

    public override DateTimeOffset GetUtcNow() => Start + (_elapsed.Elapsed * Speed);

    /// <summary>How long <paramref name="simulated"/> lasts on the real clock.</summary>
    public TimeSpan ToReal(TimeSpan simulated) => simulated / Speed;

    /// <summary>Waits until <paramref name="simulated"/> time has passed on this clock.</summary>
    public Task DelayAsync(TimeSpan simulated, CancellationToken ct = default) =>
        Task.Delay(ToReal(simulated), ct);
}
