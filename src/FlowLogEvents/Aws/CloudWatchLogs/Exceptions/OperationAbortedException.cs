using System.Net;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

public sealed class OperationAbortedException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);
