using System.Net;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>An error answered by CloudWatch Logs; <see cref="AmazonServiceException.ErrorCode"/> holds the bare error type (e.g. ThrottlingException).</summary>
public class CloudWatchLogsException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonServiceException(message, innerException, errorType, errorCode, requestId, statusCode);

public sealed class InvalidParameterException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);

/// <summary>For CreateExportTask: another export task is PENDING or RUNNING in this account and region.</summary>
public sealed class LimitExceededException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);

public sealed class OperationAbortedException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);

public sealed class ResourceAlreadyExistsException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);

public sealed class ResourceNotFoundException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);

public sealed class ServiceUnavailableException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);
