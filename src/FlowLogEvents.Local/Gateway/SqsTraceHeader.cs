using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// What SQS does with a sender's <c>X-Amzn-Trace-Id</c> header: it keeps it as the message's
/// <c>AWSTraceHeader</c> system attribute (unless the request sets that attribute itself), which is how
/// Lambda's recursive loop detection follows a function -> SQS -> function chain. AWSSDK.Core sends the
/// header on every request of a Lambda function (<c>Marshaller.SetRecursionDetectionHeader</c>: from
/// <c>_X_AMZN_TRACE_ID</c> when <c>AWS_LAMBDA_FUNCTION_NAME</c> is set). moto 5.2.1 stores only the
/// request's <c>MessageSystemAttributes</c>, so the gateway writes the header into the AWS JSON 1.0 body
/// of SendMessage (and of each SendMessageBatch entry, which moto 5.2.1 then ignores) before relaying.
/// </summary>
public static class SqsTraceHeader
{
    public const string HeaderName = "X-Amzn-Trace-Id";

    public const string AttributeName = "AWSTraceHeader";

    /// <summary>
    /// The body with <c>MessageSystemAttributes.AWSTraceHeader</c> = <paramref name="traceHeader"/>; the body
    /// unchanged when it is not a JSON object, the operation sends no message, or the attribute is already set.
    /// </summary>
    public static byte[] AddTo(byte[] body, string operation, string traceHeader)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (operation is not ("SendMessage" or "SendMessageBatch") || string.IsNullOrEmpty(traceHeader))
        {
            return body;
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return body;
        }

        if (root is null)
        {
            return body;
        }

        var changed = false;
        if (operation == "SendMessage")
        {
            changed = Add(root, traceHeader);
        }
        else if (root["Entries"] is JsonArray entries)
        {
            foreach (var entry in entries.OfType<JsonObject>())
            {
                changed |= Add(entry, traceHeader);
            }
        }

        return changed ? Encoding.UTF8.GetBytes(root.ToJsonString()) : body;
    }

    private static bool Add(JsonObject message, string traceHeader)
    {
        if (message["MessageSystemAttributes"] is JsonObject existing && existing.ContainsKey(AttributeName))
        {
            return false;
        }

        var attributes = message["MessageSystemAttributes"] as JsonObject ?? [];
        attributes[AttributeName] = new JsonObject { ["DataType"] = "String", ["StringValue"] = traceHeader };
        message["MessageSystemAttributes"] = attributes;
        return true;
    }
}
