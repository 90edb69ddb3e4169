using FlowLogEvents.Observability;

namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>pipeline</c>: traffic, subscription, signals and export function counters.</summary>
public sealed record PipelineSection(
    long EventsIngested,
    double MaxPutLagSimulatedSeconds,
    int RecordsIngestedAfterSettleDelay,
    double ExportHandlerMeanRealMs,
    double ExportHandlerMaxRealMs,
    int PutLogEventsCalls,
    int SubscriptionInvocations,
    int SubscriptionErrors,
    int SubscriptionsDropped,
    int SignalsSent,
    int SignalsSuppressedWarm,
    int SignalsReceivedByExport,
    int ContinuationsReceived,
    int ExportInvocations,
    int ExportInvocationErrors,
    int RecordsReportedFailed,
    int SlotBusyDeferrals,
    int TasksCreatedByFunction,
    int TasksCompletedByFunction,
    int CheckpointConflicts,
    int LateSignals)
{
    public static PipelineSection From(RunCounters c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new PipelineSection(
            c.EventsIngested,
            Math.Round(c.MaxPutLag.TotalSeconds, 1),
            c.IngestedAfterSettle,
            Math.Round(c.MeanExportHandlerTime.TotalMilliseconds, 1),
            Math.Round(c.MaxExportHandlerTime.TotalMilliseconds, 1),
            c.PutLogEventsCalls,
            c.SubscriptionInvocations,
            c.SubscriptionErrors,
            c.SubscriptionsDropped,
            c.Event(LogEvents.SignalSent),
            c.Event(LogEvents.SignalSuppressed),
            c.DataSignalsReceived,
            c.ContinuationsReceived,
            c.ExportInvocations,
            c.ExportInvocationErrors,
            c.RecordsReportedFailed,
            c.SlotBusyDeferrals,
            c.Event(LogEvents.TaskCreated),
            c.Event(LogEvents.TaskCompleted),
            c.Event(LogEvents.CheckpointConflict),
            c.Event(LogEvents.EventsLate));
    }
}
