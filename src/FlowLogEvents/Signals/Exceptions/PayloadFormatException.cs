namespace FlowLogEvents.Signals;

/// <summary>A subscription payload that cannot be decoded; a retry cannot fix it.</summary>
public sealed class PayloadFormatException(string message, Exception? inner = null) : Exception(message, inner);
