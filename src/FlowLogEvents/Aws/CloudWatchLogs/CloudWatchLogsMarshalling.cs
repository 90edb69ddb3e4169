using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>One CloudWatch Logs call: the operation name and its JSON body with the source-generated type info to write it.</summary>
internal sealed class OperationRequest(string operation, object body, JsonTypeInfo bodyType) : AmazonWebServiceRequest
{
    public string Operation { get; } = operation;

    public byte[] SerializeBody() => JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
}

/// <summary>AWS JSON 1.1 request marshaller shared by every operation: <c>POST /</c>, X-Amz-Target, camelCase JSON body.</summary>
internal sealed class OperationMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    private const string ContentType = "application/x-amz-json-1.1";

    public static OperationMarshaller Instance { get; } = new();

    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var operation = (OperationRequest)input;
        var request = new DefaultRequest(operation, CloudWatchLogsConfig.ServiceIdentifier)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = operation.SerializeBody(),
        };
        request.Headers["X-Amz-Target"] = CloudWatchLogsOperations.TargetPrefix + operation.Operation;
        request.Headers["Content-Type"] = ContentType;
        return request;
    }
}

internal sealed class OperationResponse<T> : AmazonWebServiceResponse
{
    public T? Result { get; set; }
}

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

internal static class CloudWatchLogsErrors
{
    /// <summary>
    /// Builds the typed exception for an error the SDK has parsed; <see cref="JsonErrorResponseUnmarshaller"/> has already
    /// reduced <c>__type</c> to the bare name (no <c>com.amazonaws.logs#</c> prefix, no <c>:</c> suffix).
    /// </summary>
    public static CloudWatchLogsException Create(ErrorResponse error, Exception? innerException, HttpStatusCode statusCode)
    {
        var (message, type, code, requestId) = (error.Message, error.Type, error.Code, error.RequestId);
        return code switch
        {
            "InvalidParameterException" => new InvalidParameterException(message, innerException, type, code, requestId, statusCode),
            "LimitExceededException" => new LimitExceededException(message, innerException, type, code, requestId, statusCode),
            "OperationAbortedException" => new OperationAbortedException(message, innerException, type, code, requestId, statusCode),
            "ResourceAlreadyExistsException" => new ResourceAlreadyExistsException(message, innerException, type, code, requestId, statusCode),
            "ResourceNotFoundException" => new ResourceNotFoundException(message, innerException, type, code, requestId, statusCode),
            "ServiceUnavailableException" => new ServiceUnavailableException(message, innerException, type, code, requestId, statusCode),
            _ => new CloudWatchLogsException(message, innerException, type, code, requestId, statusCode),
        };
    }
}
