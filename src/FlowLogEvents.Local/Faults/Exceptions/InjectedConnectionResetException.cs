namespace FlowLogEvents.Local.Faults;

/// <summary>
/// A lost response of <see cref="AwsFaultHandler"/>: the service acted, then the connection broke. An
/// <see cref="HttpRequestException"/> for the SDK (which retries it like any reset); a relay tells it
/// from a real upstream failure by its type and breaks its own caller's connection.
/// </summary>
public sealed class InjectedConnectionResetException : HttpRequestException
{
    public InjectedConnectionResetException()
        : base("injected: connection reset after the request was sent", new IOException("Connection reset by peer"))
    {
    }

    public InjectedConnectionResetException(string message)
        : base(message)
    {
    }

    public InjectedConnectionResetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
