using System.CommandLine;

namespace FlowLogEvents.Local.Commands;

/// <summary>Options whose help shows their default (<c>[default: x]</c>).</summary>
internal static class CommandOption
{
    public static Option<T> WithDefault<T>(string name, string description, T fallback) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback };
}
