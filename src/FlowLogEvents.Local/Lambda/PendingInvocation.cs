namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// One invocation assigned to an environment: waiting for <c>GET /next</c>, then delivered, then ended by the first
/// of response, error, death, kill or timeout (<see cref="Result"/> completes once; later claims lose).
/// </summary>
internal sealed class PendingInvocation(string requestId, byte[] payload, string? traceId, bool coldStart)
{
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RequestId { get; } = requestId;

    public byte[] Payload { get; } = payload;

    public string? TraceId { get; } = traceId;

    public bool ColdStart { get; } = coldStart;

    public bool IsDelivered => _delivered.Task.IsCompleted;

    public bool HasEnded => _result.Task.IsCompleted;

    public Task Delivered => _delivered.Task;

    public Task<InvocationResult> Result => _result.Task;

    public void MarkDelivered() => _delivered.TrySetResult();

    public bool TryEnd(InvocationResult result) => _result.TrySetResult(result);
}
