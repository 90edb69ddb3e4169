namespace FlowLogEvents.Verification;

/// <summary>One log event as the verification compares it: its timestamp (epoch ms) and its message, byte for byte as CloudWatch Logs holds it.</summary>
public readonly record struct LogEventKey(long Timestamp, string Message);
