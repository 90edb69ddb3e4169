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

    /// <summary>
    /// StartQuery's members (botocore's model): exactly one of logGroupName, logGroupNames, logGroupIdentifiers (names or
    /// ARNs <c>arn:aws:logs:region:account:log-group:name</c> without a trailing <c>*</c>), startTime and endTime in epoch
    /// seconds (required, min 0), queryString (required, at most 10,000 characters), limit (1-100,000), queryLanguage
    /// (only CWLI, Logs Insights QL, is modelled). A SOURCE command instead of log groups is not modelled.
    /// </summary>
    public static StartQuerySpec ParseStartQuery(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var name = OptionalString(root, "logGroupName");
        var names = OptionalStrings(root, "logGroupNames");
        var identifiers = OptionalStrings(root, "logGroupIdentifiers");
        var given = (name is null ? 0 : 1) + (names is null ? 0 : 1) + (identifiers is null ? 0 : 1);
        if (given != 1)
        {
            throw ExportTaskException.InvalidParameter("Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.");
        }

        List<string> groups = name is not null ? [name] : names ?? identifiers!.Select(LogGroupOfIdentifier).ToList();
        if (groups.Count is 0 or > StartQuerySpec.MaxLogGroups || groups.Any(g => g.Length is 0 or > 512))
        {
            throw ExportTaskException.InvalidParameter($"Between 1 and {StartQuerySpec.MaxLogGroups} log groups of 1 to 512 characters must be specified.");
        }

        if (OptionalString(root, "queryLanguage") is { } language && language != "CWLI")
        {
            throw ExportTaskException.InvalidParameter($"queryLanguage {language} is not supported by the local cloud (only CWLI).");
        }

        var start = RequiredLong(root, "startTime");
        var end = RequiredLong(root, "endTime");
        if (start < 0 || end < 0 || start > end)
        {
            throw ExportTaskException.InvalidParameter("startTime and endTime must be epoch seconds with startTime not after endTime.");
        }

        var query = OptionalString(root, "queryString") ?? throw ExportTaskException.InvalidParameter("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: Member must not be null");
        if (query.Length > 10_000)
        {
            throw ExportTaskException.InvalidParameter("1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 10000");
        }

        var limit = OptionalInt(root, "limit") ?? StartQuerySpec.DefaultLimit;
        if (limit is < 1 or > StartQuerySpec.MaxLimit)
        {
            throw ExportTaskException.InvalidParameter($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {StartQuerySpec.MaxLimit}");
        }

        return new StartQuerySpec(groups, start, end, query, limit);
    }

    public static byte[] StartQueryResult(string queryId) => Write(w => w.WriteString("queryId", queryId));

    /// <summary>GetQueryResults' members: queryId (required), nextToken, maxItems (0-10,000).</summary>
    public static (string QueryId, string? NextToken, int? MaxItems) ParseGetQueryResults(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var maxItems = OptionalInt(root, "maxItems");
        if (maxItems is < 0 or > InsightsQueryBook.MaxPageItems)
        {
            throw ExportTaskException.InvalidParameter($"1 validation error detected: Value '{maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 0 and {InsightsQueryBook.MaxPageItems}");
        }

        return (RequiredString(root, "queryId"), OptionalString(root, "nextToken"), maxItems);
    }

    /// <summary>GetQueryResults' answer: queryLanguage, results (rows of {field, value}), statistics as doubles, status, nextToken.</summary>
    public static byte[] GetQueryResultsResult(InsightsQueryPage page) => Write(w =>
    {
        w.WriteString("queryLanguage", "CWLI");
        w.WriteStartArray("results");
        foreach (var row in page.Results)
        {
            w.WriteStartArray();
            foreach (var field in row)
            {
                w.WriteStartObject();
                w.WriteString("field", field.Field);
                w.WriteString("value", field.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartObject("statistics");
        w.WriteNumber("recordsMatched", page.RecordsMatched);
        w.WriteNumber("recordsScanned", page.RecordsScanned);
        w.WriteNumber("estimatedRecordsSkipped", 0.0);
        w.WriteNumber("bytesScanned", page.BytesScanned);
        w.WriteNumber("estimatedBytesSkipped", 0.0);
        w.WriteNumber("logGroupsScanned", page.LogGroupsScanned);
        w.WriteEndObject();
        w.WriteString("status", page.Status);
        if (page.NextToken is not null)
        {
            w.WriteString("nextToken", page.NextToken);
        }
    });

    public static string ParseStopQuery(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        return RequiredString(document.RootElement, "queryId");
    }

    public static byte[] StopQueryResult(bool success) => Write(w => w.WriteBoolean("success", success));

    /// <summary>
    /// FilterLogEvents' members: exactly one of logGroupName and logGroupIdentifier; logStreamNames (1-100) or
    /// logStreamNamePrefix, not both (InvalidParameterException, as the API reference says); startTime and endTime in
    /// epoch ms; limit 1-10,000 (default 10,000); nextToken. A non-empty filterPattern is not modelled (answered
    /// InvalidParameterException rather than matched approximately); interleaved is ignored, as AWS does since 2019.
    /// </summary>
    public static FilterLogEventsSpec ParseFilterLogEvents(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var name = OptionalString(root, "logGroupName");
        var identifier = OptionalString(root, "logGroupIdentifier");
        if ((name is null) == (identifier is null))
        {
            throw ExportTaskException.InvalidParameter("You must include either logGroupIdentifier or logGroupName, but not both.");
        }

        var names = OptionalStrings(root, "logStreamNames");
        var prefix = OptionalString(root, "logStreamNamePrefix");
        if (names is not null && prefix is not null)
        {
            throw ExportTaskException.InvalidParameter("Cannot specify both logStreamNames and logStreamNamePrefix.");
        }

        if (names is { Count: 0 or > 100 })
        {
            throw ExportTaskException.InvalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100");
        }

        if (OptionalString(root, "filterPattern") is { Length: > 0 } pattern)
        {
            throw ExportTaskException.InvalidParameter($"filterPattern '{pattern}' is not supported by the local cloud (only an empty pattern, every event).");
        }

        var start = OptionalLong(root, "startTime");
        var end = OptionalLong(root, "endTime");
        if (start < 0 || end < 0 || (start is not null && end is not null && start > end))
        {
            throw ExportTaskException.InvalidParameter("startTime and endTime must be epoch milliseconds with startTime not after endTime.");
        }

        var limit = OptionalInt(root, "limit") ?? FilterLogEventsSpec.MaxLimit;
        if (limit is < 1 or > FilterLogEventsSpec.MaxLimit)
        {
            throw ExportTaskException.InvalidParameter($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {FilterLogEventsSpec.MaxLimit}");
        }

        return new FilterLogEventsSpec(name ?? LogGroupOfIdentifier(identifier!), names, prefix, start, end, OptionalString(root, "nextToken"), limit);
    }

    /// <summary>FilterLogEvents' answer: events (logStreamName, timestamp, message, ingestionTime, eventId) and nextToken; searchedLogStreams, no longer supported, is left out.</summary>
    public static byte[] FilterLogEventsResult(FilterLogEventsPage page) => Write(w =>
    {
        w.WriteStartArray("events");
        foreach (var e in page.Events)
        {
            w.WriteStartObject();
            w.WriteString("logStreamName", e.LogStreamName);
            w.WriteNumber("timestamp", e.Timestamp);
            w.WriteString("message", e.Message);
            w.WriteNumber("ingestionTime", e.IngestedAt);
            w.WriteString("eventId", FilterLogEventsPager.EventId(e));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (page.NextToken is not null)
        {
            w.WriteString("nextToken", page.NextToken);
        }
    });

    /// <summary>The log group name of a name or an ARN <c>arn:aws:logs:region:account:log-group:name</c> (a trailing <c>:*</c> is invalid).</summary>
    private static string LogGroupOfIdentifier(string identifier)
    {
        if (!identifier.StartsWith("arn:", StringComparison.Ordinal))
        {
            return identifier;
        }

        var marker = identifier.IndexOf(":log-group:", StringComparison.Ordinal);
        if (marker < 0 || identifier.EndsWith('*'))
        {
            throw ExportTaskException.InvalidParameter($"Log group identifier '{identifier}' is not a valid log group ARN (arn:aws:logs:region:account-id:log-group:name, no * at the end).");
        }

        return identifier[(marker + ":log-group:".Length)..];
    }

    private static List<string>? OptionalStrings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ExportTaskException("SerializationException", $"'{name}' must be a list of strings");
        }

        return value.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new ExportTaskException("SerializationException", $"'{name}' must be a list of strings"))
            .ToList();
    }

    private static int? OptionalInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new ExportTaskException("SerializationException", $"'{name}' must be an integer");
    }

    private static long? OptionalLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new ExportTaskException("SerializationException", $"'{name}' must be an integer");
    }

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
