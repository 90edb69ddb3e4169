namespace FlowLogEvents.Signals;

/// <summary>What the signal function needs from one CloudWatch Logs subscription delivery.</summary>
/// <param name="FirstOnTimeEventTime">
/// The oldest event stamped at or after the decoder's on-time bound (null: none was, or the delivery has no events): what
/// the delivery tells of the log group's ordinary delivery lag when late records ride along in it.
/// </param>
public sealed record SubscriptionSummary(
    string MessageType,
    string? Owner,
    string? LogGroup,
    string? LogStream,
    long EventCount,
    long FirstEventTime,
    long LastEventTime,
    long DecompressedBytes,
    long? FirstOnTimeEventTime = null)
{
    public bool IsControlMessage => MessageType == SubscriptionPayload.ControlMessage;
}
