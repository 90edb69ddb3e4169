using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Harness;

/// <summary>An invocation that ended in an error Lambda reports to its caller: a function error, an init error, or a payload over the limit.</summary>
public sealed class FunctionErrorException : Exception
{
    public FunctionErrorException()
    {
    }

    public FunctionErrorException(string message)
        : base(message)
    {
    }

    public FunctionErrorException(string message, Exception inner)
        : base(message, inner)
    {
    }

    internal FunctionErrorException(string function, InvocationResult result)
        : base($"{function} {result.Outcome}: {result.ErrorType}: {result.ErrorMessage}")
    {
        Outcome = result.Outcome;
        ErrorType = result.ErrorType;
    }

    public InvocationOutcome? Outcome { get; }

    public string? ErrorType { get; }
}
