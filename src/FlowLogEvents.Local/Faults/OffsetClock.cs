namespace FlowLogEvents.Local.Faults;

/// <summary>The functions' clock: the cloud's clock plus a fixed offset (clock skew).</summary>
public sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override long GetTimestamp() => inner.GetTimestamp();
}
