namespace FlowLogEvents.Signals;

/// <summary>What the signal function needs from one CloudWatch Logs subscription delivery.</summary>
public sealed record SubscriptionSummary(
    string MessageType,
    string? Owner,
    string? LogGroup,
    string? LogStream,
    long EventCount,
    long FirstEventTime,
    long LastEventTime,
    long DecompressedBytes)
{
    public bool IsControlMessage => MessageType == SubscriptionPayload.ControlMessage;
}
