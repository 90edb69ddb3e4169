using System.Net;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace FlowLogEvents.Aws.CloudWatchLogs;

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
