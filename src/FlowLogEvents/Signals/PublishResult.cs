namespace FlowLogEvents.Signals;

/// <summary>What the signal function did with one subscription delivery.</summary>
public enum PublishResult
{
    Sent,
    SuppressedWarm,
    IgnoredControlMessage,
    IgnoredEmpty,
}
