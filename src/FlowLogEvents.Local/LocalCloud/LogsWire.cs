using System.Text.Json;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// AWS JSON 1.1 bodies of the operations the front answers itself (camelCase members, epoch-ms times, errors as
/// <c>{"__type","message"}</c>), and the PutLogEvents request/answer it reads on the way through. Read with
/// <see cref="JsonDocument"/> so missing or mistyped members give InvalidParameterException as AWS does.
/// </summary>
internal static class LogsWire
{
    public const string ContentType = "application/x-amz-json-1.1";
    public const string TargetPrefix = "Logs_20140328.";

    public static EmulatedExportTaskSpec ParseCreateExportTask(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var spec = new EmulatedExportTaskSpec(
            OptionalString(root, "taskName"),
            RequiredString(root, "logGroupName"),
            OptionalString(root, "logStreamNamePrefix"),
            RequiredLong(root, "from"),
            RequiredLong(root, "to"),
            RequiredString(root, "destination"),
            (OptionalString(root, "destinationPrefix") is { Length: > 0 } prefix ? prefix : ExportTaskBook.DefaultDestinationPrefix).TrimEnd('/'));
        if (spec.From > spec.To)
        {
            throw ExportTaskException.InvalidParameter("Specified time range of 'from' and 'to' is not valid: 'from' must not be after 'to'.");
        }

        return spec.DestinationPrefix.Length == 0 ? spec with { DestinationPrefix = ExportTaskBook.DefaultDestinationPrefix } : spec;
    }

    public static (string? TaskId, string? StatusCode, int? Limit, string? NextToken) ParseDescribeExportTasks(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        int? limit = null;
        if (root.TryGetProperty("limit", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            limit = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw ExportTaskException.InvalidParameter("limit must be an integer");
        }

        return (OptionalString(root, "taskId"), OptionalString(root, "statusCode"), limit, OptionalString(root, "nextToken"));
    }

    public static string ParseCancelExportTask(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        return RequiredString(document.RootElement, "taskId");
    }

    public static byte[] CreateExportTaskResult(string taskId) =>
        Write(w => w.WriteString("taskId", taskId));

    public static byte[] DescribeExportTasksResult(DescribePage page) => Write(w =>
    {
        w.WriteStartArray("exportTasks");
        foreach (var task in page.Tasks)
        {
            w.WriteStartObject();
            w.WriteString("taskId", task.TaskId);
            if (task.Spec.TaskName is not null)
            {
                w.WriteString("taskName", task.Spec.TaskName);
            }

            w.WriteString("logGroupName", task.Spec.LogGroupName);
            w.WriteNumber("from", task.Spec.From);
            w.WriteNumber("to", task.Spec.To);
            w.WriteString("destination", task.Spec.Destination);
            w.WriteString("destinationPrefix", task.Spec.DestinationPrefix);
            w.WriteStartObject("status");
            w.WriteString("code", task.StatusCode);
            w.WriteString("message", task.StatusMessage);
            w.WriteEndObject();
            w.WriteStartObject("executionInfo");
            w.WriteNumber("creationTime", task.CreationTime);
            if (task.CompletionTime is { } completion)
            {
                w.WriteNumber("completionTime", completion);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (page.NextToken is not null)
        {
            w.WriteString("nextToken", page.NextToken);
        }
    });

    /// <summary>PutSubscriptionFilter's members (filterPattern may be empty: every event).</summary>
    public static SubscriptionFilterView ParsePutSubscriptionFilter(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        return new SubscriptionFilterView(RequiredString(root, "logGroupName"), RequiredString(root, "filterName"), OptionalString(root, "filterPattern") ?? string.Empty, RequiredString(root, "destinationArn"));
    }

    /// <summary>DeleteSubscriptionFilter's members (logGroupName, filterName).</summary>
    public static (string LogGroupName, string FilterName) ParseDeleteSubscriptionFilter(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        return (RequiredString(document.RootElement, "logGroupName"), RequiredString(document.RootElement, "filterName"));
    }

    public static byte[] DescribeSubscriptionFiltersResult(IReadOnlyList<SubscriptionFilterView> filters) => Write(w =>
    {
        w.WriteStartArray("subscriptionFilters");
        foreach (var f in filters)
        {
            w.WriteStartObject();
            w.WriteString("filterName", f.FilterName);
            w.WriteString("logGroupName", f.LogGroupName);
            w.WriteString("filterPattern", f.FilterPattern);
            w.WriteString("destinationArn", f.DestinationArn);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Error(string type, string message) => Write(w =>
    {
        w.WriteString("__type", type);
        w.WriteString("message", message);
    });

    public static byte[] Empty() => Write(static _ => { });

    /// <summary>
    /// The events of a PutLogEvents request that moto accepted: all but those the answer's rejectedLogEventsInfo names
    /// (indices up to tooOld/expired end, from tooNew start). Null when the request is not a readable PutLogEvents.
    /// Known gap: moto 5.2.1 reports tooNewLogEventStartIndex as the LAST too-new index (it overwrites it per event), so
    /// when a batch has several events more than 2 h ahead of the real clock all but the last are recorded although moto
    /// dropped them. Keep event timestamps inside moto's window (real now - 14 d .. real now + 2 h).
    /// </summary>
    public static (string LogGroupName, string LogStreamName, List<(long Timestamp, string Message)> Events)? AcceptedPutLogEvents(
        ReadOnlySpan<byte> request, ReadOnlySpan<byte> answer)
    {
        try
        {
            using var requestDocument = JsonDocument.Parse(request.ToArray());
            var root = requestDocument.RootElement;
            var group = root.GetProperty("logGroupName").GetString();
            var stream = root.GetProperty("logStreamName").GetString();
            if (group is null || stream is null)
            {
                return null;
            }

            var (lastRejectedOld, firstRejectedNew) = (-1, int.MaxValue);
            if (answer.Length > 0)
            {
                using var answerDocument = JsonDocument.Parse(answer.ToArray());
                if (answerDocument.RootElement.TryGetProperty("rejectedLogEventsInfo", out var rejected))
                {
                    lastRejectedOld = Math.Max(Index(rejected, "tooOldLogEventEndIndex") ?? -1, Index(rejected, "expiredLogEventEndIndex") ?? -1);
                    firstRejectedNew = Index(rejected, "tooNewLogEventStartIndex") ?? int.MaxValue;
                }
            }

            var events = root.GetProperty("logEvents").EnumerateArray()
                .Select((e, i) => (Index: i, Timestamp: e.GetProperty("timestamp").GetInt64(), Message: e.GetProperty("message").GetString() ?? string.Empty))
                .Where(e => e.Index > lastRejectedOld && e.Index < firstRejectedNew)
                .Select(e => (e.Timestamp, e.Message))
                .ToList();
            return (group, stream, events);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static string? LogGroupName(ReadOnlySpan<byte> request)
    {
        try
        {
            using var document = JsonDocument.Parse(request.ToArray());
            return OptionalString(document.RootElement, "logGroupName");
        }
        catch (Exception ex) when (ex is JsonException or ExportTaskException)
        {
            return null;
        }
    }

    private static int? Index(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ExportTaskException("SerializationException", "Start of structure or map found where not expected.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new ExportTaskException("SerializationException", ex.Message);
        }
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ExportTaskException("SerializationException", $"'{name}' must be a string");
    }

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 } value
            ? value
            : throw ExportTaskException.InvalidParameter($"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    private static long RequiredLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ExportTaskException.InvalidParameter($"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new ExportTaskException("SerializationException", $"'{name}' must be epoch milliseconds");
    }

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
