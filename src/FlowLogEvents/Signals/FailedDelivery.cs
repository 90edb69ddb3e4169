using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Signals;

/// <summary>
/// One record Lambda sent to the signal function's on-failure destination after it gave up on an asynchronous
/// invocation (the "invocation record": <c>version</c>, <c>timestamp</c>, <c>requestContext</c> with
/// <c>requestId</c>, <c>functionArn</c>, <c>condition</c> (<c>RetriesExhausted</c>, <c>EventAgeExceeded</c>) and
/// <c>approximateInvokeCount</c>, <c>requestPayload</c> (the original event), <c>responseContext</c>,
/// <c>responsePayload</c>). <see cref="RequestPayload"/> is null when Lambda left the payload out (the record
/// would not fit the destination's message size limit).
/// </summary>
public sealed record FailedDelivery(
    string? RequestId,
    string? Condition,
    int ApproximateInvokeCount,
    long FailedAt,
    byte[]? RequestPayload)
{
    /// <summary>Decodes one invocation record (an SQS message body); malformed records throw <see cref="PayloadFormatException"/>.</summary>
    public static FailedDelivery Decode(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new PayloadFormatException("invocation record is empty");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadFormatException($"invocation record is a JSON {root.ValueKind}, not an object");
            }

            if (!root.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(timestamp.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var failedAt))
            {
                throw new PayloadFormatException("invocation record has no ISO-8601 timestamp");
            }

            string? requestId = null, condition = null;
            var invokeCount = 0;
            if (root.TryGetProperty("requestContext", out var context) && context.ValueKind == JsonValueKind.Object)
            {
                requestId = context.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                condition = context.TryGetProperty("condition", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                invokeCount = context.TryGetProperty("approximateInvokeCount", out var n) && n.TryGetInt32(out var count) ? count : 0;
            }

            var payload = root.TryGetProperty("requestPayload", out var request) && request.ValueKind == JsonValueKind.Object
                ? Encoding.UTF8.GetBytes(request.GetRawText())
                : null;
            return new FailedDelivery(requestId, condition, invokeCount, failedAt.ToUnixTimeMilliseconds(), payload);
        }
        catch (JsonException ex)
        {
            throw new PayloadFormatException($"invocation record is not valid JSON: {ex.Message}", ex);
        }
    }
}
