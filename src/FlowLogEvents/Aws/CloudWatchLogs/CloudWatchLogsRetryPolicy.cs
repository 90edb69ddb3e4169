using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// The SDK's standard retry policy, except for CreateExportTask, which is not idempotent (two calls make two tasks
/// that export the same range twice). It is retried in-process only when the service answered a client error
/// (throttling) and so certainly created nothing. A <see cref="LimitExceededException"/> (another export task holds the
/// account's single slot, which an in-process retry does not free), a 5xx, a timeout or a broken connection is final:
/// the request may have created the task, and only the caller's lookup by task name can tell.
/// Every other operation keeps the standard behaviour (throttling, 5xx, network errors, backoff, retry quota).
/// </summary>
internal sealed class CloudWatchLogsRetryPolicy(IClientConfig config) : StandardRetryPolicy(config)
{
    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        !IsFinal(executionContext, exception) && base.RetryForException(executionContext, exception);

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        !IsFinal(executionContext, exception) && await base.RetryForExceptionAsync(executionContext, exception);

    internal static bool IsFinal(IExecutionContext executionContext, Exception exception) =>
        executionContext.RequestContext.OriginalRequest is OperationRequest { Operation: CloudWatchLogsOperations.CreateExportTask }
        && (exception is LimitExceededException || !CertainlyNotCreated(exception));

    /// <summary>The service answered 4xx (throttling, validation): it did not create the task.</summary>
    private static bool CertainlyNotCreated(Exception exception) =>
        exception is AmazonServiceException { StatusCode: var status } && (int)status is >= 400 and < 500 && status != System.Net.HttpStatusCode.RequestTimeout;
}
