namespace FlowLogEvents.Signals;

/// <summary>A queue message body that is not a signal this version understands.</summary>
public sealed class SignalFormatException(string message, Exception? inner = null) : Exception(message, inner);
