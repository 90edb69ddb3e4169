using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Harness;

/// <summary>One function's environments over a run; cold start times are real, from process start.</summary>
public sealed record FunctionTotals(int ColdStarts, int Invocations, int FunctionErrors, int Deaths, int Timeouts, int InitErrors, TimeSpan? MedianToFirstNext, TimeSpan? MedianToFirstResponse)
{
    public static FunctionTotals From(FunctionCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var timings = counters.ColdStartTimings;
        return new FunctionTotals(
            counters.ColdStarts,
            counters.Invocations,
            counters.FunctionErrors,
            counters.Deaths,
            counters.Timeouts,
            counters.InitErrors,
            Median(timings.Select(t => t.ToFirstNext)),
            Median(timings.Select(t => t.ToFirstResponse)));
    }

    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{ColdStarts} cold starts (median {Ms(MedianToFirstNext)} to the first /next, {Ms(MedianToFirstResponse)} to the first response, real), {Invocations} invocations, {FunctionErrors} errors, {Deaths} deaths, {Timeouts} timeouts, {InitErrors} init errors");

    private static string Ms(TimeSpan? t) => t is { } v ? $"{v.TotalMilliseconds:0} ms" : "-";

    private static TimeSpan? Median(IEnumerable<TimeSpan?> values)
    {
        var sorted = values.OfType<TimeSpan>().Order().ToList();
        return sorted.Count == 0 ? null : sorted[sorted.Count / 2];
    }
}
