namespace FlowLogEvents.Tests.Fakes;

/// <summary>A clock that only moves when a test moves it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset now) => _now = now;

    public ManualTimeProvider(long epochMillis)
        : this(DateTimeOffset.FromUnixTimeMilliseconds(epochMillis))
    {
    }

    public long NowMillis => _now.ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void SetUtcNow(DateTimeOffset now) => _now = now;
}
