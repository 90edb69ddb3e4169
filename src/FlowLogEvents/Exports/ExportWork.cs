using FlowLogEvents.Signals;

namespace FlowLogEvents.Exports;

/// <summary>
/// The signals of one batch for one log group, coalesced: one work item asks for everything the
/// signals asked for. <see cref="FirstDataEventTime"/> and <see cref="DataRanges"/> only count fresh
/// data signals (not continuations, which by design carry ranges that may already be partly exported);
/// the ranges keep each signal's stream, so late events are reported (and re-exported) per stream.
/// </summary>
public sealed record ExportWork(Signal Merged, long? FirstDataEventTime, IReadOnlyList<DataRange> DataRanges)
{
    public string LogGroup => Merged.LogGroup;

    /// <summary>The earliest instant the first window may need to start at, given the settle delay (plus skew margin).</summary>
    public long EarliestStart(TimeSpan settleDelay) =>
        Math.Min(Merged.FirstEventTime, Merged.WindowStart - (long)settleDelay.TotalMilliseconds);

    /// <summary>
    /// The last millisecond to export before this work is done: <see cref="Signal.ExportThrough"/>, with
    /// the debounce window's end moved <paramref name="clockSkew"/> later, because events ingested during
    /// the window can be stamped that much after it when the signal function's clock is behind CloudWatch's.
    /// </summary>
    public long Target(TimeSpan clockSkew) =>
        Math.Max(Merged.WindowEnd - 1 + (long)clockSkew.TotalMilliseconds, Merged.LastEventTime);

    public static ExportWork From(Signal signal) => signal.Kind == SignalKind.Data
        ? new(signal, signal.FirstEventTime, [new DataRange(signal.LogStream, signal.FirstEventTime, signal.LastEventTime, signal.WindowEnd, signal.OnTimeFirstEventTime)])
        : new(signal, null, []);

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
            Failures = Math.Max(Merged.Failures, other.Failures),
        };
        return other.Kind == SignalKind.Data
            ? new ExportWork(merged, Math.Min(FirstDataEventTime ?? long.MaxValue, other.FirstEventTime), [.. DataRanges, new DataRange(other.LogStream, other.FirstEventTime, other.LastEventTime, other.WindowEnd, other.OnTimeFirstEventTime)])
            : new ExportWork(merged, FirstDataEventTime, DataRanges);
    }

    /// <summary>The message that brings this work back later, when it could not finish now.</summary>
    /// <remarks>A run that got this far reached a verdict: the failure count starts again.</remarks>
    public Signal Continuation() => Merged with
    {
        Kind = SignalKind.Continuation,
        OnTimeFirstEventTime = null,
        Continuations = Merged.Continuations + 1,
        Failures = 0,
    };
}
