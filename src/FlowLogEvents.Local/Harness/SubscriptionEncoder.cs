using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Encodes subscription deliveries exactly as CloudWatch Logs does for a Lambda destination:
/// the JSON document (messageType, owner, logGroup, logStream, subscriptionFilters, logEvents),
/// gzip, base64, wrapped in <c>{"awslogs":{"data":"..."}}</c>.
/// </summary>
public static class SubscriptionEncoder
{
    public const string FilterName = "flowlogevents-signal";

    public static byte[] DataMessage(string owner, string logGroup, string logStream, IReadOnlyList<SubscriptionEvent> events) =>
        Wrap(Document("DATA_MESSAGE", owner, logGroup, logStream, events));

    /// <summary>What CloudWatch Logs sends once when the filter is created, to check the destination.</summary>
    public static byte[] ControlMessage(string logGroup, long timestamp) =>
        Wrap(Document(
            "CONTROL_MESSAGE",
            "CloudwatchLogs",
            logGroup,
            string.Empty,
            [new SubscriptionEvent(string.Empty, timestamp, "CWL CONTROL MESSAGE: Checking health of destination Lambda.")]));

    /// <summary>A CloudWatch-like event id: 56 decimal digits, unique per (timestamp, sequence).</summary>
    public static string EventId(long timestamp, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{timestamp:D20}{sequence:D36}");

    private static byte[] Document(string type, string owner, string logGroup, string logStream, IReadOnlyList<SubscriptionEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("messageType", type);
            json.WriteString("owner", owner);
            json.WriteString("logGroup", logGroup);
            json.WriteString("logStream", logStream);
            json.WriteStartArray("subscriptionFilters");
            json.WriteStringValue(FilterName);
            json.WriteEndArray();
            json.WriteStartArray("logEvents");
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteString("id", e.Id);
                json.WriteNumber("timestamp", e.Timestamp);
                json.WriteString("message", e.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] Wrap(byte[] document)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(document);
        }

        using var invocation = new MemoryStream();
        using (var json = new Utf8JsonWriter(invocation))
        {
            json.WriteStartObject();
            json.WriteStartObject("awslogs");
            json.WriteString("data", Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return invocation.ToArray();
    }
}
