using FlowLogEvents.Aws;
using FlowLogEvents.Exports;
using FlowLogEvents.Functions;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// The handlers in this process (no package, no Runtime API): AWS faults come from clients whose HTTP goes
/// through the fault handler, crash points from wrappers of the product's ports. Kept for harness tests
/// that need it; a local run starts the published package instead (<see cref="FunctionProcesses"/>).
/// </summary>
internal static class InProcessFunctions
{
    public static (IReadOnlyList<IFunctionInvoker> Signal, IFunctionInvoker Export, IFunctionInvoker? Backfill) Create(
        LocalCloudResources cloud, FunctionClients functionClients, FaultOptions faults, CrashSchedule crashes, TimeProvider functionClock, FunctionLog log, int signalInstances)
    {
        var signalSettings = cloud.SignalSettings;
        var exportSettings = cloud.ExportSettings;
        IQueueSender SignalSender(ProcessDeath death) => crashes.Armed
            ? new CrashingQueueSender(new SqsQueueSender(functionClients.Sqs, signalSettings.SignalQueueUrl), crashes, death, CrashSteps.SignalBeforeSend, CrashSteps.SignalAfterSend)
            : new SqsQueueSender(functionClients.Sqs, signalSettings.SignalQueueUrl);
        var signalFunctions = Enumerable.Range(1, signalInstances)
            .Select(i => (IFunctionInvoker)new FunctionHost<SignalFunction>(
                death => new SignalFunction(
                    SignalSender(death),
                    signalSettings,
                    functionClock,
                    new Telemetry(log.OpenStream($"signal-{i}"), functionClock, "signal")),
                static (f, input) => f.HandleAsync(input)))
            .ToList();

        FunctionHost<ExportFunction> ExportHost(string name) => new(
            death =>
            {
                ICheckpointStore store = new S3CheckpointStore(functionClients.S3, exportSettings.StateBucket, exportSettings.StatePrefix);
                IExportTasks tasks = new CloudWatchExportTasks(functionClients.Logs);
                IQueueSender continuations = new SqsQueueSender(functionClients.Sqs, exportSettings.SignalQueueUrl);
                if (crashes.Armed)
                {
                    store = new CrashingCheckpointStore(store, crashes, death);
                    tasks = new CrashingExportTasks(tasks, crashes, death);
                    continuations = new CrashingQueueSender(continuations, crashes, death, CrashSteps.ExportBeforeContinuation, CrashSteps.ExportAfterContinuation);
                }

                return new ExportFunction(
                    store,
                    tasks,
                    continuations,
                    new SqsQueueSender(functionClients.Sqs, exportSettings.DeadLetterQueueUrl),
                    exportSettings.Policy,
                    functionClock,
                    new Telemetry(log.OpenStream(name), functionClock, "export"),
                    new CloudWatchLogEventSource(functionClients.Logs, functionClock),
                    new S3ExportedObjects(functionClients.S3, exportSettings.Policy.ExportBucket, functionClock));
            },
            static (f, input) => f.HandleAsync(input));

        return (signalFunctions, ExportHost("export-1"), faults.ConcurrentExportRate > 0 ? ExportHost("export-backfill") : null);
    }
}
