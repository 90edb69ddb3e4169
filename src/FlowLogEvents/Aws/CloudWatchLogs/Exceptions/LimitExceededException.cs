using System.Net;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>For CreateExportTask: another export task is PENDING or RUNNING in this account and region.</summary>
public sealed class LimitExceededException(string message, Exception? innerException, ErrorType errorType, string? errorCode, string? requestId, HttpStatusCode statusCode)
    : CloudWatchLogsException(message, innerException, errorType, errorCode, requestId, statusCode);
