using System.Text.Json;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>A <see cref="Observability.Telemetry"/> writing to memory, with its JSON lines parsed back.</summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly MemoryStream _sink = new();

    public TelemetryCapture(TimeProvider time, string function = "export")
    {
        Telemetry = new Telemetry(_sink, time, function);
    }

    public Telemetry Telemetry { get; }

    /// <summary>Every line written so far, parsed (each must be one JSON object).</summary>
    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            var text = System.Text.Encoding.UTF8.GetString(_sink.ToArray());
            var lines = new List<JsonElement>();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                lines.Add(document.RootElement.Clone());
            }

            return lines;
        }
    }

    /// <summary>Structured log lines (not EMF).</summary>
    public IReadOnlyList<JsonElement> LogLines => Lines.Where(l => l.TryGetProperty("event", out _)).ToList();

    /// <summary>Log lines of one event name.</summary>
    public IReadOnlyList<JsonElement> Events(string evt) =>
        LogLines.Where(l => l.GetProperty("event").GetString() == evt).ToList();

    /// <summary>The event names of all log lines, in order.</summary>
    public IReadOnlyList<string> EventNames => LogLines.Select(l => l.GetProperty("event").GetString()!).ToList();

    /// <summary>EMF lines declaring the metric <paramref name="name"/>.</summary>
    public IReadOnlyList<JsonElement> Metrics(string name) =>
        Lines.Where(l => l.TryGetProperty("_aws", out var aws)
                && aws.GetProperty("CloudWatchMetrics").EnumerateArray()
                    .SelectMany(m => m.GetProperty("Metrics").EnumerateArray())
                    .Any(m => m.GetProperty("Name").GetString() == name))
            .ToList();

    /// <summary>The values of the metric <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<double> MetricValues(string name) =>
        Metrics(name).Select(l => l.GetProperty(name).GetDouble()).ToList();

    public void Dispose() => _sink.Dispose();
}
