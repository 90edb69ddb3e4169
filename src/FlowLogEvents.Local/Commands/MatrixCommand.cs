using System.CommandLine;
using System.Globalization;
using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Local.Commands;

/// <summary>
/// <c>matrix</c>: the reliability matrix; writes matrix.md and matrix.json. Exit code 0 when no scenario lost a record or
/// duplicated one unexplained, 1 when one did, 2 when no scenario matches or moto_server could not start, 130 when cancelled.
/// </summary>
internal static class MatrixCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Only the CI subset, at reduced sizes" };
        var only = new Option<string?>("--only") { Description = "Only scenarios whose name contains this text" };
        var speed = CommandOption.WithDefault("--speed", "Time compression of every scenario (the matrix's small scenarios keep up at 60)", 60.0);
        var output = new Option<string?>("--output") { Description = "Folder of matrix.md, matrix.json and each run's report (default artifacts/reliability/<stamp>)" };
        var package = new Option<string?>("--package") { Description = FunctionPackages.PackageDescription };
        var matrix = new Command("matrix", "Reliability matrix: every fault alone, then mixed in seeded schedules; writes matrix.md and matrix.json. Exit code 0 when no scenario lost a record or duplicated one unexplained.")
        {
            quick, only, speed, output, package,
        };
        matrix.SetAction((parse, ct) => ExecuteAsync(new MatrixCommandOptions(parse.GetValue(quick), parse.GetValue(only), parse.GetValue(speed), parse.GetValue(output), parse.GetValue(package)), ct));
        return matrix;
    }

    public static async Task<int> ExecuteAsync(MatrixCommandOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var packageDirectory = await FunctionPackages.PackageAsync(options.Package, ct).ConfigureAwait(false);
        var scenarios = (options.Quick ? ReliabilityMatrix.Quick(options.Speed) : ReliabilityMatrix.Full(options.Speed))
            .Where(s => options.Only is null || s.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase))
            .Select(s => s with { Options = s.Options with { PackageDirectory = packageDirectory } })
            .ToList();
        if (scenarios.Count == 0)
        {
            await Console.Error.WriteLineAsync($"no scenario matches '{options.Only}'").ConfigureAwait(false);
            return 2;
        }

        var moto = await MotoEndpoint.AcquireOrReportAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            return 2;
        }

        await using (moto.ConfigureAwait(false))
        {
            moto.AnnounceStarted();

            try
            {
                var folder = options.Output ?? Path.Combine("artifacts", "reliability", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                var rows = await ReliabilityMatrix.RunAsync(moto.Endpoint, scenarios, folder, line => Console.Out.WriteLine(line), ct).ConfigureAwait(false);
                Console.Out.WriteLine();
                Console.Out.Write(ReliabilityMatrix.Markdown(rows));
                Console.Out.WriteLine($"\nWritten: {Path.Combine(folder, "matrix.md")} and matrix.json");
                return rows.All(r => r.Pass) ? 0 : 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return 130;
            }
        }
    }
}
