namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Signal economy of a run: (log group, debounce window) pairs that saw data, the mean invocations
/// and SendMessage calls per pair, the most SendMessage calls of one pair (all warm instances), and
/// the most of one pair on one warm instance (FlowLogEvents' target: 1).
/// </summary>
public sealed record SignalEconomy(int Windows, double InvocationsPerWindow, double SendsPerWindow, int MaxSendsPerWindow, int MaxSendsPerWindowPerInstance);
