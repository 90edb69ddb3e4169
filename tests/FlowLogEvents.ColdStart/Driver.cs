using System.Diagnostics;
using System.Globalization;

namespace FlowLogEvents.ColdStart;

/// <summary>
/// Runs each case as a fresh process, rounds interleaved (so load from other processes spreads over
/// all cases), and reports the median and spread of the time from Process.Start to the host's
/// <c>handled</c> line on standard output.
/// </summary>
internal static class Driver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 11;
        var cases = new List<(string Name, string FileName, string Arguments)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--case":
                    var spec = args[++i];
                    var eq = spec.IndexOf('=', StringComparison.Ordinal);
                    var command = spec[(eq + 1)..];
                    var space = command.IndexOf(' ', StringComparison.Ordinal);
                    cases.Add((spec[..eq], command[..space], command[(space + 1)..]));
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        var times = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var details = cases.ToDictionary(c => c.Name, _ => "");
        for (var run = 0; run < runs + 1; run++)
        {
            foreach (var (name, fileName, arguments) in cases)
            {
                var (ms, line) = await StartToHandledAsync(fileName, arguments).ConfigureAwait(false);
                if (run > 0)
                {
                    // Round 0 warms the disk cache of every case; it is not counted.
                    times[name].Add(ms);
                    details[name] = line;
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| case | median | min | max | runs | host's own figures (last run) |"));
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var (name, _, _) in cases)
        {
            var sorted = times[name].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {sorted[sorted.Length / 2]:F0} ms | {sorted[0]:F0} ms | {sorted[^1]:F0} ms | {sorted.Length} | {details[name]} |"));
        }

        return 0;
    }

    private static async Task<(double Ms, string Line)> StartToHandledAsync(string fileName, string arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // A fresh checkpoint prefix per process, so every export cold start does the same work.
        info.Environment["STATE_PREFIX"] = $"coldstart/{Guid.NewGuid():N}";
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            if (line.StartsWith("handled ", StringComparison.Ordinal))
            {
                var ms = sw.Elapsed.TotalMilliseconds;
                await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
                await process.WaitForExitAsync().ConfigureAwait(false);
                return (ms, line["handled ".Length..]);
            }
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"{fileName} {arguments} exited {process.ExitCode} without handling: {await stderr.ConfigureAwait(false)}");
    }
}
