namespace FlowLogEvents.Runtime;

/// <summary>
/// <c>GET runtime/invocation/next</c> answered without a header every invocation has (the request id, the
/// deadline) or with one that cannot be read: the invocation can be neither answered nor timed.
/// </summary>
public sealed class InvocationHeaderException(string header, string problem)
    : Exception($"next invocation: header {header} {problem}")
{
    /// <summary>The header's name, e.g. <c>Lambda-Runtime-Deadline-Ms</c>.</summary>
    public string Header { get; } = header;
}
