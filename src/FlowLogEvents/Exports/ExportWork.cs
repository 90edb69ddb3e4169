using FlowLogEvents.Signals;

namespace FlowLogEvents.Exports;

/// <summary>
/// The signals of one batch for one log group, coalesced: one work item asks for everything the
/// signals asked for. <see cref="FirstDataEventTime"/> only counts fresh data signals (not
/// continuations, which by design carry ranges that may already be partly exported).
/// </summary>
public sealed record ExportWork(Signal Merged, long? FirstDataEventTime)
{
    public string LogGroup => Merged.LogGroup;

    /// <summary>The earliest instant the first window may need to start at, given the settle delay.</summary>
    public long EarliestStart(TimeSpan settleDelay) =>
        Math.Min(Merged.FirstEventTime, Merged.WindowStart - (long)settleDelay.TotalMilliseconds);

    public static ExportWork From(Signal signal) =>
        new(signal, signal.Kind == SignalKind.Data ? signal.FirstEventTime : null);

    public ExportWork Merge(Signal other)
    {
        var merged = Merged with
        {
            Kind = Merged.Kind == SignalKind.Data || other.Kind == SignalKind.Data ? SignalKind.Data : SignalKind.Continuation,
            Owner = Merged.Owner ?? other.Owner,
            FirstEventTime = Math.Min(Merged.FirstEventTime, other.FirstEventTime),
            LastEventTime = Math.Max(Merged.LastEventTime, other.LastEventTime),
            EventCount = Merged.EventCount + other.EventCount,
            WindowStart = Math.Min(Merged.WindowStart, other.WindowStart),
            WindowEnd = Math.Max(Merged.WindowEnd, other.WindowEnd),
            Continuations = Math.Max(Merged.Continuations, other.Continuations),
        };
        var firstData = other.Kind == SignalKind.Data
            ? Math.Min(FirstDataEventTime ?? long.MaxValue, other.FirstEventTime)
            : FirstDataEventTime;
        return new ExportWork(merged, firstData);
    }

    /// <summary>The message that brings this work back later, when it could not finish now.</summary>
    public Signal Continuation() => Merged with
    {
        Kind = SignalKind.Continuation,
        Continuations = Merged.Continuations + 1,
    };
}
