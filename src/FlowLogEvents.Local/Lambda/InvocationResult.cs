namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// What one invocation came to. <see cref="Response"/> is the posted response (Success) or the posted error document
/// (FunctionError from <c>/error</c>); <see cref="ErrorType"/> and <see cref="ErrorMessage"/> say why anything else
/// ended as it did, in Lambda's words (<c>Function.ResponseSizeTooLarge</c>, <c>Sandbox.Timedout</c>,
/// <c>Runtime.ExitError</c>, <c>RequestEntityTooLargeException</c>, or the function's own error type).
/// <see cref="EnvironmentId"/> and <see cref="RequestId"/> are null when no environment was involved (PayloadTooLarge).
/// </summary>
public sealed record InvocationResult(InvocationOutcome Outcome, string? RequestId, string? EnvironmentId, bool ColdStart)
{
    public byte[]? Response { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    public bool Succeeded => Outcome == InvocationOutcome.Success;

    public override string ToString() => Outcome == InvocationOutcome.Success
        ? $"Success ({Response?.Length ?? 0} bytes) in {EnvironmentId}{(ColdStart ? " (cold)" : string.Empty)}"
        : $"{Outcome} {ErrorType}: {ErrorMessage} in {EnvironmentId ?? "no environment"}{(ColdStart ? " (cold)" : string.Empty)}";
}
