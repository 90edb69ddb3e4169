using FlowLogEvents.Runtime;

namespace FlowLogEvents.Functions;

/// <summary>
/// The functions' Handler settings and what each one runs: the one place the handler strings are spelled
/// (the template, the bootstrap and the tests use these constants). No reflection: Native AOT keeps both.
/// </summary>
public static class FunctionHandlers
{
    public const string Signal = "FlowLogEvents::FlowLogEvents.Functions.SignalFunction::HandleAsync";
    public const string Export = "FlowLogEvents::FlowLogEvents.Functions.ExportFunction::HandleAsync";

    /// <summary>Handler string -> a factory that builds the function once per execution environment.</summary>
    public static IReadOnlyDictionary<string, Func<LambdaHandler>> All { get; } = new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal)
    {
        [Signal] = static () => new SignalFunction().HandleAsync,
        [Export] = static () => new ExportFunction().HandleAsync,
    };
}
