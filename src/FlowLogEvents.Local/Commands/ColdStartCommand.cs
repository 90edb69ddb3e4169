using System.CommandLine;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Commands;

/// <summary>
/// <c>coldstart</c>: cold start and memory of the published package on the local Lambda service; prints a Markdown
/// table. Exit code 0 when every invocation succeeded, 1 when not, 2 when moto_server could not start.
/// </summary>
internal static class ColdStartCommand
{
    public static Command Create()
    {
        var rounds = CommandOption.WithDefault("--runs", "Fresh environments per package and function (after one uncounted warm-up round)", 15);
        var variants = new Option<string[]>("--package") { Description = "name=folder of a published package (repeatable); default: ReadyToRun published now, plus Native AOT when it builds here", AllowMultipleArgumentsPerToken = true };
        var coldstart = new Command("coldstart", "Cold start and memory of the published package: fresh processes on the local Lambda service answer one real-shaped event each (moto_server behind them); prints a Markdown table.")
        {
            rounds, variants,
        };
        coldstart.SetAction((parse, ct) => ExecuteAsync(new ColdStartCommandOptions(parse.GetValue(rounds), parse.GetValue(variants) ?? []), ct));
        return coldstart;
    }

    public static async Task<int> ExecuteAsync(ColdStartCommandOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in options.Packages)
        {
            var parts = entry.Split('=', 2);
            packages[parts[0]] = FunctionPackage.Open(parts.Length == 2 ? parts[1] : parts[0], FunctionPackage.HostRuntimeIdentifier).Directory;
        }

        if (packages.Count == 0)
        {
            packages["ReadyToRun"] = (await FunctionPackages.PackageAsync(null, ct).ConfigureAwait(false))!;
            var root = FunctionPackage.FindRepositoryRoot(Environment.CurrentDirectory);
            var aot = Path.Combine(root, "artifacts", "lambda", FunctionPackage.HostRuntimeIdentifier + "-aot");
            try
            {
                Console.Out.WriteLine($"Publishing Native AOT into {aot} ...");
                packages["Native AOT"] = (await FunctionPackage.PublishAsync(root, FunctionPackage.HostRuntimeIdentifier, aot, ct, "-p:PublishAot=true").ConfigureAwait(false)).Directory;
            }
            catch (InvalidOperationException ex)
            {
                Console.Out.WriteLine($"Native AOT did not build here, measured without it: {ex.Message}");
            }
        }

        var moto = await MotoEndpoint.AcquireOrReportAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            return 2;
        }

        await using (moto.ConfigureAwait(false))
        {
            moto.AnnounceStarted();

            var samples = await ColdStartProbe.RunAsync(moto.Endpoint, packages, options.Runs, line => Console.Out.WriteLine(line), ct).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.Write(ColdStartProbe.Markdown(samples, packages));
            return samples.All(s => s.Outcome == InvocationOutcome.Success) ? 0 : 1;
        }
    }
}
