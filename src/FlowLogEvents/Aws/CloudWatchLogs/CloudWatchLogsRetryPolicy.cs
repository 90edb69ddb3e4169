using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// The SDK's standard retry policy, except that a <see cref="LimitExceededException"/> from CreateExportTask is final:
/// it means another export task holds the account's single export slot, which an in-process retry does not free.
/// Every other error and operation keeps the standard behaviour (throttling, 5xx, network errors, backoff, retry quota).
/// </summary>
internal sealed class CloudWatchLogsRetryPolicy(IClientConfig config) : StandardRetryPolicy(config)
{
    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        !IsFinal(executionContext, exception) && base.RetryForException(executionContext, exception);

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        !IsFinal(executionContext, exception) && await base.RetryForExceptionAsync(executionContext, exception);

    internal static bool IsFinal(IExecutionContext executionContext, Exception exception) =>
        exception is LimitExceededException
        && executionContext.RequestContext.OriginalRequest is OperationRequest { Operation: CloudWatchLogsOperations.CreateExportTask };
}
