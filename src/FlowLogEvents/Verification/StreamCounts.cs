namespace FlowLogEvents.Verification;

/// <summary>Events per log stream in a range, with what counting them scanned (the figure Logs Insights is billed by).</summary>
/// <param name="Complete">False when the answer was cut at the source's row limit: streams may be missing from it.</param>
public sealed record StreamCounts(IReadOnlyDictionary<string, long> Counts, double BytesScanned, bool Complete = true);
