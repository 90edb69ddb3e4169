using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace FlowLogEvents.Exports;

/// <summary>
/// Human-readable checkpoint JSON: instants as ISO-8601 UTC with milliseconds next to their epoch
/// milliseconds, written and read explicitly (no reflection, trim-safe).
/// </summary>
public static class CheckpointJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static byte[] Serialize(Checkpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", checkpoint.SchemaVersion);
            json.WriteString("logGroup", checkpoint.LogGroup);
            WriteInstant(json, "startTime", checkpoint.StartTime);
            WriteInstant(json, "exportedThrough", checkpoint.ExportedThrough);
            json.WriteNumber("exportsCompleted", checkpoint.ExportsCompleted);
            if (checkpoint.InFlight is { } f)
            {
                json.WriteStartObject("inFlight");
                json.WriteString("taskName", f.TaskName);
                WriteInstant(json, "from", f.From);
                WriteInstant(json, "to", f.To);
                json.WriteNumber("attempt", f.Attempt);
                json.WriteString("plannedAt", Iso(f.PlannedAt));
                if (f.TaskId is not null)
                {
                    json.WriteString("taskId", f.TaskId);
                }

                if (f.ClaimedAt is { } claimed)
                {
                    json.WriteString("claimedAt", Iso(claimed));
                }

                json.WriteEndObject();
            }

            if (checkpoint.LastCompleted is { } c)
            {
                json.WriteStartObject("lastCompleted");
                json.WriteString("taskId", c.TaskId);
                json.WriteString("taskName", c.TaskName);
                WriteInstant(json, "from", c.From);
                WriteInstant(json, "to", c.To);
                json.WriteString("completedAt", Iso(c.CompletedAt));
                json.WriteEndObject();
            }

            json.WriteString("updatedAt", Iso(checkpoint.UpdatedAt));
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static Checkpoint Deserialize(ReadOnlySpan<byte> utf8, string expectedLogGroup)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointFormatException("checkpoint is not a JSON object");
            }

            var version = Required(root, "schemaVersion").GetInt32();
            if (version != Checkpoint.CurrentSchemaVersion)
            {
                throw new CheckpointFormatException($"checkpoint schemaVersion {version} is not supported (this version reads {Checkpoint.CurrentSchemaVersion})");
            }

            var logGroup = Required(root, "logGroup").GetString();
            if (logGroup != expectedLogGroup)
            {
                throw new CheckpointFormatException($"checkpoint belongs to log group '{logGroup}', not '{expectedLogGroup}'");
            }

            InFlightExport? inFlight = null;
            if (root.TryGetProperty("inFlight", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                inFlight = new InFlightExport
                {
                    TaskName = Required(f, "taskName").GetString()!,
                    From = Millis(f, "from"),
                    To = Millis(f, "to"),
                    Attempt = Required(f, "attempt").GetInt32(),
                    PlannedAt = Required(f, "plannedAt").GetDateTimeOffset(),
                    TaskId = f.TryGetProperty("taskId", out var id) ? id.GetString() : null,
                    ClaimedAt = f.TryGetProperty("claimedAt", out var claimed) ? claimed.GetDateTimeOffset() : null,
                };
            }

            CompletedExport? last = null;
            if (root.TryGetProperty("lastCompleted", out var c) && c.ValueKind == JsonValueKind.Object)
            {
                last = new CompletedExport(
                    Required(c, "taskId").GetString()!,
                    Required(c, "taskName").GetString()!,
                    Millis(c, "from"),
                    Millis(c, "to"),
                    Required(c, "completedAt").GetDateTimeOffset());
            }

            var checkpoint = new Checkpoint
            {
                SchemaVersion = version,
                LogGroup = logGroup!,
                StartTime = Millis(root, "startTime"),
                ExportedThrough = Millis(root, "exportedThrough"),
                ExportsCompleted = root.TryGetProperty("exportsCompleted", out var n) ? n.GetInt64() : 0,
                InFlight = inFlight,
                LastCompleted = last,
                UpdatedAt = Required(root, "updatedAt").GetDateTimeOffset(),
            };
            Validate(checkpoint);
            return checkpoint;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new CheckpointFormatException($"checkpoint of '{expectedLogGroup}' is unreadable: {ex.Message}", ex);
        }
    }

    /// <summary>The invariants the state machine keeps; an object breaking them was not written by it.</summary>
    private static void Validate(Checkpoint c)
    {
        if (c.ExportedThrough < c.StartTime - 1)
        {
            throw new CheckpointFormatException($"checkpoint exportedThrough {c.ExportedThrough} is before startTime {c.StartTime} - 1");
        }

        if (c.ExportsCompleted < 0)
        {
            throw new CheckpointFormatException($"checkpoint exportsCompleted {c.ExportsCompleted} is negative");
        }

        if (c.InFlight is { } f)
        {
            if (f.From != c.ExportedThrough + 1)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.from {f.From} is not exportedThrough + 1 ({c.ExportedThrough + 1})");
            }

            if (f.To < f.From)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.to {f.To} is before inFlight.from {f.From}");
            }

            if (f.Attempt < 1)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.attempt {f.Attempt} is not positive");
            }
        }
    }

    private static void WriteInstant(Utf8JsonWriter json, string name, long millis)
    {
        json.WriteStartObject(name);
        json.WriteNumber("epochMillis", millis);
        json.WriteString("utc", Iso(DateTimeOffset.FromUnixTimeMilliseconds(millis)));
        json.WriteEndObject();
    }

    private static long Millis(JsonElement parent, string name) => Required(Required(parent, name), "epochMillis").GetInt64();

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new CheckpointFormatException($"checkpoint field '{name}' is missing");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
