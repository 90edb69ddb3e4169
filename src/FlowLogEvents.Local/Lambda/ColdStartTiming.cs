namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// One cold start, on the real clock from <c>Process.Start</c>: to the runtime's first <c>GET /next</c>, and to its
/// first posted result (response or error). Null when the process never got that far.
/// </summary>
public sealed record ColdStartTiming(string EnvironmentId, TimeSpan? ToFirstNext, TimeSpan? ToFirstResponse);
