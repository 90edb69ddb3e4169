using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Harness;

/// <summary>How the functions ran: as processes of the published package (with their cold starts, deaths and timeouts), or in-process.</summary>
public sealed record HostingTotals(string Mode, FunctionTotals? Signal, FunctionTotals? Export, int GatewayKills)
{
    public static HostingTotals InProcess { get; } = new("in-process", null, null, 0);

    public static HostingTotals From(FunctionProcesses processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        return new HostingTotals("processes", FunctionTotals.From(processes.SignalFunction.Counters), FunctionTotals.From(processes.ExportFunction.Counters), processes.Gateway.Counters.Killed)
        {
            IamDenied = processes.Authorizer.DeniedCount,
        };
    }

    /// <summary>Function requests their roles in serverless.template do not allow (answered AccessDenied by the gateway).</summary>
    public int IamDenied { get; init; }

    public string Describe() => Signal is null || Export is null
        ? "in-process handlers (no package, no Runtime API)"
        : $"processes of the published package: signal {Signal.Describe()}; export {Export.Describe()}; {GatewayKills} killed at crash points by the AWS gateway; {IamDenied} requests denied by IAM (the roles in serverless.template)";
}

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
