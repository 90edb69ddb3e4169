using System.Buffers;
using System.Globalization;
using System.Text.Json;
using FlowLogEvents.Verification;

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
                WriteExport(json, "inFlight", f);
            }

            if (checkpoint.RemainingWindows.Count > 0)
            {
                json.WriteStartArray("remainingWindows");
                foreach (var window in checkpoint.RemainingWindows)
                {
                    json.WriteStartObject();
                    WriteInstant(json, "from", window.From);
                    WriteInstant(json, "to", window.To);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (checkpoint.LateExports.Count > 0)
            {
                json.WriteStartArray("lateExports");
                foreach (var late in checkpoint.LateExports)
                {
                    WriteExport(json, null, late);
                }

                json.WriteEndArray();
            }

            if (checkpoint.LateSeen.Count > 0)
            {
                json.WriteStartArray("lateSeen");
                foreach (var key in checkpoint.LateSeen)
                {
                    json.WriteStringValue(key);
                }

                json.WriteEndArray();
            }

            if (checkpoint.SettledLagFloorMillis is { } floor)
            {
                json.WriteNumber("settledLagFloorMillis", floor);
            }

            if (checkpoint.LastTaskEnded is { } ended)
            {
                json.WriteString("lastTaskEnded", ended == ExportKind.Late ? "late" : "regular");
            }

            if (checkpoint.LastCompleted is { } c)
            {
                json.WriteStartObject("lastCompleted");
                json.WriteString("taskId", c.TaskId);
                json.WriteString("taskName", c.TaskName);
                WriteInstant(json, "from", c.From);
                WriteInstant(json, "to", c.To);
                json.WriteString("completedAt", Iso(c.CompletedAt));
                if (c.PlannedAt is { } planned)
                {
                    json.WriteString("plannedAt", Iso(planned));
                }
                json.WriteEndObject();
            }

            WriteVerification(json, checkpoint);
            json.WriteString("updatedAt", Iso(checkpoint.UpdatedAt));
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The verification state, written once a window was queued: the derived <c>verifiedThrough</c> and <c>finalThrough</c>
    /// (for the reader; recomputed, not read back), the totals and the windows awaiting checks.
    /// </summary>
    private static void WriteVerification(Utf8JsonWriter json, Checkpoint checkpoint)
    {
        if (checkpoint.VerifiedFrom is { } from)
        {
            WriteInstant(json, "verifiedFrom", from);
            WriteInstant(json, "verifiedThrough", VerificationSchedule.VerifiedThrough(checkpoint)!.Value);
            WriteInstant(json, "finalThrough", VerificationSchedule.FinalThrough(checkpoint)!.Value);
        }

        if (checkpoint.WindowsFinal > 0)
        {
            json.WriteNumber("windowsFinal", checkpoint.WindowsFinal);
        }

        if (checkpoint.RecordsRepaired > 0)
        {
            json.WriteNumber("recordsRepaired", checkpoint.RecordsRepaired);
        }

        if (checkpoint.DeliveryLags.Count > 0)
        {
            json.WriteStartArray("deliveryLags");
            foreach (var sample in checkpoint.DeliveryLags)
            {
                json.WriteStartObject();
                json.WriteNumber("ingestedBy", sample.IngestedBy);
                json.WriteNumber("lagMs", sample.LagMillis);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (checkpoint.Verifications.Count == 0)
        {
            return;
        }

        json.WriteStartArray("verifications");
        foreach (var v in checkpoint.Verifications)
        {
            json.WriteStartObject();
            WriteInstant(json, "from", v.From);
            WriteInstant(json, "to", v.To);
            json.WriteString("taskId", v.TaskId);
            json.WriteString("completedAt", Iso(v.CompletedAt));
            json.WriteString("dueAt", Iso(v.DueAt));
            json.WriteNumber("checks", v.Checks);
            if (v.Failures > 0)
            {
                json.WriteNumber("failures", v.Failures);
            }

            if (v.Repaired > 0)
            {
                json.WriteNumber("repaired", v.Repaired);
            }

            if (v.Surplus > 0)
            {
                json.WriteNumber("surplus", v.Surplus);
            }

            if (v.Shortfall > 0)
            {
                json.WriteNumber("shortfall", v.Shortfall);
            }

            if (v.LastOutcome is { } outcome)
            {
                json.WriteString("lastOutcome", OutcomeName(outcome));
            }

            if (v.Recheck)
            {
                json.WriteBoolean("recheck", true);
            }

            if (v.BeforeStart)
            {
                json.WriteBoolean("beforeStart", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string OutcomeName(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Match => "match",
        VerificationOutcome.Repaired => "repaired",
        VerificationOutcome.Incomplete => "incomplete",
        _ => "unverifiable",
    };

    private static PendingVerification ReadVerification(Node v) => new()
    {
        From = v.Millis("from"),
        To = v.Millis("to"),
        TaskId = v.String("taskId"),
        CompletedAt = v.Instant("completedAt"),
        DueAt = v.Instant("dueAt"),
        Checks = v.Int("checks"),
        Failures = v.OptionalInt("failures") ?? 0,
        Repaired = v.OptionalLong("repaired") ?? 0,
        Surplus = v.OptionalLong("surplus") ?? 0,
        Shortfall = v.OptionalLong("shortfall") ?? 0,
        LastOutcome = v.OptionalString("lastOutcome") switch
        {
            null => null,
            "match" => VerificationOutcome.Match,
            "repaired" => VerificationOutcome.Repaired,
            "incomplete" => VerificationOutcome.Incomplete,
            "unverifiable" => VerificationOutcome.Unverifiable,
            var other => throw new CheckpointFormatException($"checkpoint field 'lastOutcome' is '{other}', not 'match', 'repaired', 'incomplete' or 'unverifiable'"),
        },
        Recheck = v.OptionalBool("recheck") ?? false,
        BeforeStart = v.OptionalBool("beforeStart") ?? false,
    };

    private static void WriteExport(Utf8JsonWriter json, string? name, InFlightExport f)
    {
        if (name is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(name);
        }

        if (f.LogStream is not null)
        {
            json.WriteString("logStream", f.LogStream);
        }

        json.WriteString("taskName", f.TaskName);
        WriteInstant(json, "from", f.From);
        WriteInstant(json, "to", f.To);
        json.WriteNumber("attempt", f.Attempt);
        json.WriteString("plannedAt", Iso(f.PlannedAt));
        if (f.TaskId is not null)
        {
            json.WriteString("taskId", f.TaskId);
        }

        if (f.TaskRecordedAt is { } recorded)
        {
            json.WriteString("taskRecordedAt", Iso(recorded));
        }

        if (f.ClaimedAt is { } claimed)
        {
            json.WriteString("claimedAt", Iso(claimed));
        }

        if (f.Unsent)
        {
            json.WriteBoolean("unsent", true);
        }

        if (f.IngestedBy is { } ingestedBy)
        {
            WriteInstant(json, "ingestedBy", ingestedBy);
        }

        json.WriteEndObject();
    }

    private static InFlightExport ReadExport(Node f) => new()
    {
        LogStream = f.OptionalString("logStream"),
        TaskName = f.String("taskName"),
        From = f.Millis("from"),
        To = f.Millis("to"),
        Attempt = f.Int("attempt"),
        PlannedAt = f.Instant("plannedAt"),
        TaskId = f.OptionalString("taskId"),
        TaskRecordedAt = f.OptionalInstant("taskRecordedAt"),
        ClaimedAt = f.OptionalInstant("claimedAt"),
        Unsent = f.OptionalBool("unsent") ?? false,
        IngestedBy = f.OptionalObject("ingestedBy") is null ? null : f.Millis("ingestedBy"),
    };

    private static ExportKind? ReadKind(Node root) => root.OptionalString("lastTaskEnded") switch
    {
        null => null,
        "regular" => ExportKind.Regular,
        "late" => ExportKind.Late,
        var other => throw new CheckpointFormatException($"checkpoint field 'lastTaskEnded' is '{other}', not 'regular' or 'late'"),
    };

    public static Checkpoint Deserialize(ReadOnlySpan<byte> utf8, string expectedLogGroup)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointFormatException("checkpoint is not a JSON object");
            }

            var root = new Node(document.RootElement, string.Empty);
            var version = root.Int("schemaVersion");
            if (version != Checkpoint.CurrentSchemaVersion)
            {
                throw new CheckpointFormatException($"checkpoint schemaVersion {version} is not supported (this version reads {Checkpoint.CurrentSchemaVersion})");
            }

            var logGroup = root.String("logGroup");
            if (logGroup != expectedLogGroup)
            {
                throw new CheckpointFormatException($"checkpoint belongs to log group '{logGroup}', not '{expectedLogGroup}'");
            }

            InFlightExport? inFlight = null;
            if (root.OptionalObject("inFlight") is { } f)
            {
                inFlight = ReadExport(f);
            }

            CompletedExport? last = null;
            if (root.OptionalObject("lastCompleted") is { } c)
            {
                last = new CompletedExport(c.String("taskId"), c.String("taskName"), c.Millis("from"), c.Millis("to"), c.Instant("completedAt"), c.OptionalInstant("plannedAt"));
            }

            var checkpoint = new Checkpoint
            {
                SchemaVersion = version,
                LogGroup = logGroup,
                StartTime = root.Millis("startTime"),
                ExportedThrough = root.Millis("exportedThrough"),
                ExportsCompleted = root.OptionalLong("exportsCompleted") ?? 0,
                InFlight = inFlight,
                LastCompleted = last,
                RemainingWindows = new(root.OptionalArrayOfObjects("remainingWindows").Select(w => new ExportWindow(w.Millis("from"), w.Millis("to")))),
                LateExports = new(root.OptionalArrayOfObjects("lateExports").Select(ReadExport)),
                LateSeen = new(root.OptionalArrayOfStrings("lateSeen")),
                SettledLagFloorMillis = root.OptionalLong("settledLagFloorMillis"),
                LastTaskEnded = ReadKind(root),
                Verifications = new(root.OptionalArrayOfObjects("verifications").Select(ReadVerification)),
                VerifiedFrom = root.OptionalObject("verifiedFrom") is null ? null : root.Millis("verifiedFrom"),
                RecordsRepaired = root.OptionalLong("recordsRepaired") ?? 0,
                DeliveryLags = new(root.OptionalArrayOfObjects("deliveryLags").Select(s => new Settling.DeliveryLagSample(s.Long("ingestedBy"), s.Long("lagMs")))),
                WindowsFinal = root.OptionalLong("windowsFinal") ?? 0,
                UpdatedAt = root.Instant("updatedAt"),
            };
            checkpoint.Validate();
            return checkpoint;
        }
        catch (CheckpointFormatException ex)
        {
            throw new CheckpointFormatException($"checkpoint of '{expectedLogGroup}' is unreadable: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"checkpoint of '{expectedLogGroup}' is unreadable: {ex.Message}", ex);
        }
    }

    private static void WriteInstant(Utf8JsonWriter json, string name, long millis)
    {
        json.WriteStartObject(name);
        json.WriteNumber("epochMillis", millis);
        json.WriteString("utc", Iso(DateTimeOffset.FromUnixTimeMilliseconds(millis)));
        json.WriteEndObject();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A JSON object and its path, with typed getters whose errors name the field.</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        public string String(string name) => OptionalString(name) ?? throw Missing(name);

        public string? OptionalString(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(name, "a string")
            : null;

        public int Int(string name) => Get(name) is { } v && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw (Get(name) is null ? Missing(name) : Wrong(name, "a 32-bit integer"));

        public long Long(string name) => OptionalLong(name) ?? throw Missing(name);

        public int? OptionalInt(string name) => Get(name) is null ? null : Int(name);

        public bool? OptionalBool(string name) => Get(name) is { } v
            ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Wrong(name, "a boolean")
            : null;

        public long? OptionalLong(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Wrong(name, "an integer")
            : null;

        public DateTimeOffset Instant(string name) => OptionalInstant(name) ?? throw Missing(name);

        public DateTimeOffset? OptionalInstant(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : throw Wrong(name, "an ISO-8601 instant")
            : null;

        /// <summary>An instant written as {"epochMillis": ..., "utc": ...}; epochMillis is authoritative.</summary>
        public long Millis(string name) => Object(name).Long("epochMillis");

        public Node Object(string name) => OptionalObject(name) ?? throw Missing(name);

        public Node? OptionalObject(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.Object ? new Node(v, Qualify(name)) : throw Wrong(name, "an object")
            : null;

        public List<string> OptionalArrayOfStrings(string name)
        {
            if (Get(name) is not { } v)
            {
                return [];
            }

            var path = Qualify(name);
            return v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new CheckpointFormatException($"checkpoint field '{path}[{i}]' is not a string")).ToList()
                : throw Wrong(name, "an array");
        }

        public List<Node> OptionalArrayOfObjects(string name)
        {
            if (Get(name) is not { } v)
            {
                return [];
            }

            if (v.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(name, "an array");
            }

            var path = Qualify(name);
            return v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.Object
                ? new Node(e, $"{path}[{i}]")
                : throw new CheckpointFormatException($"checkpoint field '{path}[{i}]' is not an object")).ToList();
        }

        private JsonElement? Get(string name) =>
            Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private string Qualify(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        private CheckpointFormatException Missing(string name) => new($"checkpoint field '{Qualify(name)}' is missing");

        private CheckpointFormatException Wrong(string name, string what) => new($"checkpoint field '{Qualify(name)}' is not {what}");
    }
}
