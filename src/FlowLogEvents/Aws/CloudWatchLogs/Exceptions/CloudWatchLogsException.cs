using System.Net;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>An error answered by CloudWatch Logs; <see cref="AmazonServiceException.ErrorCode"/> holds the bare error type (e.g. ThrottlingException).</summary>
public class CloudWatchLogsException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : AmazonServiceException(message, innerException, errorType, errorCode, requestId, statusCode);
