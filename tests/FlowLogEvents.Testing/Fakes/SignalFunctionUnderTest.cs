using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>The signal function wired to in-memory fakes: a manual clock, a recording queue and captured telemetry.</summary>
public sealed class SignalFunctionUnderTest : IDisposable
{
    public static readonly Uri QueueUrl = new("http://127.0.0.1:1/123456789012/signals.fifo");

    public SignalFunctionUnderTest(DateTimeOffset now, SignalSettings settings)
    {
        Time = new ManualTimeProvider(now);
        Telemetry = new TelemetryCapture(Time, "signal");
        Function = new SignalFunction(Queue, settings, Time, Telemetry.Telemetry);
    }

    public ManualTimeProvider Time { get; }

    public RecordingQueueSender Queue { get; } = new();

    public TelemetryCapture Telemetry { get; }

    public SignalFunction Function { get; }

    public void Dispose() => Telemetry.Dispose();
}
