namespace FlowLogEvents.Local.Harness;

/// <summary>
/// How the harness's event sources (the subscription's asynchronous invocations, the SQS event source
/// mapping) reach a function: the response, an exception for a function error, or null when the
/// execution environment died or timed out without answering.
/// </summary>
public interface IFunctionInvoker
{
    /// <param name="payload">The event, as Lambda hands it to the function.</param>
    /// <param name="traceId">The X-Ray trace header Lambda gives this invocation (<c>Lambda-Runtime-Trace-Id</c>), or null.</param>
    Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null);
}
