using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// Reads an operation's JSON output with its source-generated type info (or nothing, for operations without output),
/// and maps error bodies to typed exceptions through the SDK's <see cref="JsonErrorResponseUnmarshaller"/>.
/// </summary>
internal sealed class OperationUnmarshaller<T>(JsonTypeInfo<T>? resultType) : JsonResponseUnmarshaller
{
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context) =>
        new OperationResponse<T> { Result = resultType is null ? default : JsonSerializer.Deserialize(context.Stream, resultType) };

    public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        var reader = new StreamingUtf8JsonReader(context.Stream);
        return CloudWatchLogsErrors.Create(JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader), innerException, statusCode);
    }
}
