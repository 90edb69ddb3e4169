using System.CommandLine;
using FlowLogEvents.Local.Commands;

namespace FlowLogEvents.Local;

/// <summary>
/// <c>dotnet run --project src/FlowLogEvents.Local</c>: the local cloud's commands, one class each in <c>Commands/</c>.
/// The root command is one local run (<see cref="RunCommand"/>); <c>matrix</c> and <c>coldstart</c> are subcommands.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = RunCommand.Create();
        root.Subcommands.Add(MatrixCommand.Create());
        root.Subcommands.Add(ColdStartCommand.Create());
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }).ConfigureAwait(false);
    }
}
