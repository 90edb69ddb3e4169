namespace FlowLogEvents.Runtime;

/// <summary>
/// One event from <c>GET runtime/invocation/next</c>: the payload (the response body) and what the
/// <c>Lambda-Runtime-*</c> response headers say about it.
/// </summary>
/// <param name="RequestId"><c>Lambda-Runtime-Aws-Request-Id</c>: names the invocation when the runtime answers it.</param>
/// <param name="Deadline"><c>Lambda-Runtime-Deadline-Ms</c>: when the function times out (sent as Unix epoch milliseconds).</param>
/// <param name="InvokedFunctionArn"><c>Lambda-Runtime-Invoked-Function-Arn</c>: the function, version or alias invoked.</param>
/// <param name="TraceId"><c>Lambda-Runtime-Trace-Id</c>: the X-Ray tracing header; absent when tracing sends none.</param>
/// <param name="ClientContext"><c>Lambda-Runtime-Client-Context</c>: only for AWS Mobile SDK invocations.</param>
/// <param name="CognitoIdentity"><c>Lambda-Runtime-Cognito-Identity</c>: only for AWS Mobile SDK invocations.</param>
/// <param name="Payload">The event, as Lambda sent it.</param>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    ReadOnlyMemory<byte> Payload);
