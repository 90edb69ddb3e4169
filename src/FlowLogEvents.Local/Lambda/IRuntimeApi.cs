using System.Net;

namespace FlowLogEvents.Local.Lambda;

/// <summary>The decisions behind the Runtime API's four resources; <see cref="RuntimeApiServer"/> does the HTTP.</summary>
internal interface IRuntimeApi
{
    /// <summary>Waits for the next invocation; null when one is already delivered and unanswered (403).</summary>
    Task<RuntimeDelivery?> NextAsync(CancellationToken ct);

    /// <summary>202, or 400 for an id that is not the running invocation's.</summary>
    HttpStatusCode Respond(string requestId, byte[] body);

    /// <summary>413 (the invocation ends as Function.ResponseSizeTooLarge), or 400 for an unknown id.</summary>
    HttpStatusCode RespondTooLarge(string requestId, long size);

    /// <summary>202, or 400 for an unknown id.</summary>
    HttpStatusCode Fail(string requestId, string? errorTypeHeader, byte[] body);

    /// <summary>202: the environment is an init failure.</summary>
    HttpStatusCode FailInit(string? errorTypeHeader, byte[] body);

    /// <summary>Called once the answer to <c>init/error</c> is sent: the process can go.</summary>
    void InitErrorAnswered();
}
