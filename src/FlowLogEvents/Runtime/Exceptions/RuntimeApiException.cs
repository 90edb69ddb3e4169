using System.Net;

namespace FlowLogEvents.Runtime;

/// <summary>
/// The Runtime API answered a call with a status other than 2xx. AWS documents 400 (bad request), 403
/// (forbidden), 413 (payload too large) and 500: "Container error. Non-recoverable state. Runtime should
/// exit promptly" (<see cref="IsNonRecoverable"/>).
/// </summary>
public sealed class RuntimeApiException(string operation, HttpStatusCode status, string body)
    : Exception($"Runtime API {operation} answered {(int)status} {status}: {body}")
{
    /// <summary>What was called, e.g. <c>POST runtime/invocation/{id}/response</c>.</summary>
    public string Operation { get; } = operation;

    public HttpStatusCode Status { get; } = status;

    /// <summary>The runtime must exit: Lambda will not accept anything more from this process.</summary>
    public bool IsNonRecoverable => Status == HttpStatusCode.InternalServerError;
}
