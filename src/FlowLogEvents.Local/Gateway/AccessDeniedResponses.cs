using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// The AccessDenied error each service answers, in its own protocol, so the SDKs parse it as they would
/// from AWS:
/// S3 (REST-XML): 403, <c>&lt;Error&gt;&lt;Code&gt;AccessDenied&lt;/Code&gt;...</c> (no body for HEAD);
/// SQS (AWS JSON 1.0, query-compatible): 403, <c>{"__type":"com.amazon.coral.service#AccessDeniedException","Message":...}</c>
/// with <c>x-amzn-query-error: AccessDenied;Sender</c> (the SDK's error code is AccessDenied, from the header);
/// SQS (query protocol): 403, <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type&gt;Sender&lt;/Type&gt;&lt;Code&gt;AccessDenied&lt;/Code&gt;...</c>;
/// CloudWatch Logs and other AWS JSON 1.1 services: 400, <c>{"__type":"AccessDeniedException","message":...}</c>.
/// </summary>
public static class AccessDeniedResponses
{
    /// <param name="jsonErrorType">AWS JSON 1.1 services: the error's <c>__type</c> (default AccessDeniedException).</param>
    public static GatewayResponse For(AwsRequestInfo request, string message, string? jsonErrorType = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = Guid.NewGuid().ToString();
        return request.Service switch
        {
            "s3" => S3(request, message, requestId),
            "sqs" when request.QueryProtocol => new GatewayResponse(
                HttpStatusCode.Forbidden,
                "text/xml",
                Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{SecurityElement.Escape(message)}</Message><Detail/></Error><RequestId>{requestId}</RequestId></ErrorResponse>"),
                [new("x-amzn-RequestId", requestId)]),
            "sqs" => new GatewayResponse(
                HttpStatusCode.Forbidden,
                "application/x-amz-json-1.0",
                Json("com.amazon.coral.service#AccessDeniedException", "Message", message),
                [new("x-amzn-RequestId", requestId), new("x-amzn-query-error", "AccessDenied;Sender")]),
            _ => new GatewayResponse(
                HttpStatusCode.BadRequest,
                "application/x-amz-json-1.1",
                Json(jsonErrorType ?? "AccessDeniedException", "message", message),
                [new("x-amzn-RequestId", requestId)]),
        };
    }

    private static GatewayResponse S3(AwsRequestInfo request, string message, string requestId)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = [new("x-amz-request-id", requestId), new("x-amz-id-2", "gateway")];
        if (request.HttpMethod == "HEAD")
        {
            // A HEAD answer has no body: the SDK reads the status alone.
            return new GatewayResponse(HttpStatusCode.Forbidden, "application/xml", [], headers);
        }

        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>{SecurityElement.Escape(message)}</Message><RequestId>{requestId}</RequestId><HostId>gateway</HostId></Error>";
        return new GatewayResponse(HttpStatusCode.Forbidden, "application/xml", Encoding.UTF8.GetBytes(xml), headers);
    }

    private static byte[] Json(string type, string messageMember, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("__type", type);
            json.WriteString(messageMember, message);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
