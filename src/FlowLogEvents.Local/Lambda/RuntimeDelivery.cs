namespace FlowLogEvents.Local.Lambda;

/// <summary>The answer to <c>GET /next</c>: the payload and the invocation's headers.</summary>
internal sealed record RuntimeDelivery(string RequestId, long DeadlineMs, string InvokedFunctionArn, string? TraceId, byte[] Payload);
