using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace FlowLogEvents.ColdStart;

/// <summary>
/// <c>host &lt;handler&gt; &lt;event file&gt;</c>: loads <c>Assembly::Type::Method</c> by name, constructs the
/// type with its parameterless constructor, invokes the method once with the event and prints one
/// line <c>handled ...</c>. <c>drive ...</c>: starts hosts as fresh processes and reports medians of
/// the time from process start to that line.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        return args.FirstOrDefault() switch
        {
            "host" when args.Length is 3 or 4 => await HostAsync(args[1], args[2], args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0).ConfigureAwait(false),
            "drive" => await Driver.RunAsync(args[1..]).ConfigureAwait(false),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: host <Assembly::Type::Method> <event.json> | drive --runs N --case name=command... (see run.sh)");
        return 2;
    }

    /// <param name="repeat">Further invocations with the same event after the first (warm), then a memory line.</param>
    private static async Task<int> HostAsync(string handler, string eventFile, int repeat)
    {
        var main = Stopwatch.StartNew();
        var parts = handler.Split("::");
        if (parts.Length != 3)
        {
            throw new ArgumentException($"handler '{handler}' is not Assembly::Type::Method");
        }

        var assembly = Assembly.Load(new AssemblyName(parts[0]));
        var type = assembly.GetType(parts[1], throwOnError: true)!;
        var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)])
            ?? throw new MissingMethodException(parts[1], parts[2]);
        var instance = Activator.CreateInstance(type);
        var constructed = main.Elapsed.TotalMilliseconds;
        await using var input = File.OpenRead(eventFile);
        var response = await ((Task<Stream>)method.Invoke(instance, [input])!).ConfigureAwait(false);
        using var reader = new StreamReader(response);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var handled = main.Elapsed.TotalMilliseconds;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handled main-to-constructed={constructed:F1}ms main-to-handled={handled:F1}ms peak-working-set={process.PeakWorkingSet64 / 1048576.0:F1}MB response={body}"));
        if (repeat > 0)
        {
            var warm = Stopwatch.StartNew();
            for (var i = 0; i < repeat; i++)
            {
                await using var again = File.OpenRead(eventFile);
                await using var answer = await ((Task<Stream>)method.Invoke(instance, [again])!).ConfigureAwait(false);
            }

            process.Refresh();
            var info = GC.GetGCMemoryInfo();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm invocations={repeat} mean={warm.Elapsed.TotalMilliseconds / repeat:F1}ms peak-working-set={process.PeakWorkingSet64 / 1048576.0:F1}MB working-set={process.WorkingSet64 / 1048576.0:F1}MB gc-heap={info.HeapSizeBytes / 1048576.0:F1}MB gc-committed={info.TotalCommittedBytes / 1048576.0:F1}MB"));
        }

        return 0;
    }
}
