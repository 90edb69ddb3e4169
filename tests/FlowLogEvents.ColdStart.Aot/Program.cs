using System.Diagnostics;
using System.Globalization;
using FlowLogEvents.Functions;

namespace FlowLogEvents.ColdStart.Aot;

/// <summary><c>signal|export &lt;event file&gt;</c>: constructs the function, handles one event, prints <c>handled ...</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var main = Stopwatch.StartNew();
        Func<Stream, Task<Stream>> handle = args[0] switch
        {
            "signal" => new SignalFunction().HandleAsync,
            "export" => new ExportFunction().HandleAsync,
            _ => throw new ArgumentException("signal or export"),
        };
        var constructed = main.Elapsed.TotalMilliseconds;
        await using var input = File.OpenRead(args[1]);
        var response = await handle(input).ConfigureAwait(false);
        using var reader = new StreamReader(response);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var handled = main.Elapsed.TotalMilliseconds;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handled main-to-constructed={constructed:F1}ms main-to-handled={handled:F1}ms peak-working-set={process.PeakWorkingSet64 / 1048576.0:F1}MB response={body}"));
        return 0;
    }
}
