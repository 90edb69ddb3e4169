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
