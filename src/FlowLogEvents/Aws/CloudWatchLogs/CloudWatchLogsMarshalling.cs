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
    public const string ContentType = "application/x-amz-json-1.1";

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
        var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
        return CloudWatchLogsErrors.Create(error.Code, error.Message, innerException, error.Type, error.RequestId, statusCode);
    }
}

internal static class CloudWatchLogsErrors
{
    /// <summary>Builds the typed exception for an error code; <c>com.amazonaws.logs#</c> prefixes and <c>:</c> suffixes are dropped.</summary>
    public static CloudWatchLogsException Create(
        string? code, string? message, Exception? innerException, ErrorType errorType, string? requestId, HttpStatusCode statusCode)
    {
        var bare = BareCode(code);
        message ??= bare;
        return bare switch
        {
            "InvalidParameterException" => new InvalidParameterException(message, innerException, errorType, bare, requestId, statusCode),
            "LimitExceededException" => new LimitExceededException(message, innerException, errorType, bare, requestId, statusCode),
            "OperationAbortedException" => new OperationAbortedException(message, innerException, errorType, bare, requestId, statusCode),
            "ResourceAlreadyExistsException" => new ResourceAlreadyExistsException(message, innerException, errorType, bare, requestId, statusCode),
            "ResourceNotFoundException" => new ResourceNotFoundException(message, innerException, errorType, bare, requestId, statusCode),
            "ServiceUnavailableException" => new ServiceUnavailableException(message, innerException, errorType, bare, requestId, statusCode),
            _ => new CloudWatchLogsException(message, innerException, errorType, bare, requestId, statusCode),
        };
    }

    internal static string BareCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "Unknown";
        }

        var start = code.LastIndexOf('#') + 1;
        var end = code.IndexOf(':', start);
        return end < 0 ? code[start..] : code[start..end];
    }
}
