using System.Buffers;
using System.Text.Json;

namespace FlowLogEvents.Observability;

/// <summary>
/// Writes one JSON line per decision and CloudWatch Embedded Metric Format lines, both to one
/// stream. In Lambda that stream is the process's raw stdout (<c>Console.OpenStandardOutput()</c>),
/// because the managed runtime wraps <c>Console.Out</c> and would nest our JSON inside its own.
/// Thread-safe: each line is built in a private buffer and written with one call under a lock.
/// </summary>
public sealed class Telemetry
{
    public const string MetricsNamespace = "FlowLogEvents";

    private readonly Stream _sink;
    private readonly TimeProvider _time;
    private readonly string _function;
    private readonly Lock _gate = new();

    public Telemetry(Stream sink, TimeProvider time, string function)
    {
        _sink = sink;
        _time = time;
        _function = function;
    }

    /// <summary>Telemetry on the process's raw standard output.</summary>
    public static Telemetry ForStandardOutput(TimeProvider time, string function) =>
        new(Console.OpenStandardOutput(), time, function);

    public void Info(string evt, params ReadOnlySpan<Field> fields) => Log("INFO", evt, fields);

    public void Warn(string evt, params ReadOnlySpan<Field> fields) => Log("WARN", evt, fields);

    public void Error(string evt, params ReadOnlySpan<Field> fields) => Log("ERROR", evt, fields);

    private void Log(string level, string evt, ReadOnlySpan<Field> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("function", _function);
            json.WriteString("event", evt);
            foreach (var field in fields)
            {
                WriteValue(json, field.Name, field.Value);
            }

            json.WriteEndObject();
        }

        WriteLine(buffer.WrittenSpan);
    }

    /// <summary>One EMF line with one metric, dimensioned by function and the given dimensions.</summary>
    public void Metric(string name, double value, MetricUnit unit, params ReadOnlySpan<Field> dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", _time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", MetricsNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Function");
            foreach (var dimension in dimensions)
            {
                json.WriteStringValue(dimension.Name);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit.ToString());
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Function", _function);
            foreach (var dimension in dimensions)
            {
                json.WriteString(dimension.Name, Convert.ToString(dimension.Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteNumber(name, value);
            json.WriteEndObject();
        }

        WriteLine(buffer.WrittenSpan);
    }

    private void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            _sink.Write(line);
            _sink.WriteByte((byte)'\n');
            _sink.Flush();
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case string s:
                json.WriteString(name, s);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case int i:
                json.WriteNumber(name, i);
                break;
            case long l:
                json.WriteNumber(name, l);
                break;
            case double d:
                json.WriteNumber(name, d);
                break;
            case DateTimeOffset t:
                json.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
