using System.Collections.Concurrent;
using System.Diagnostics;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>The lines the processes wrote, as the output sink received them.</summary>
internal sealed class OutputLines
{
    private readonly ConcurrentQueue<(string Environment, string Line)> _lines = new();

    public Action<string, string> Sink => (environment, line) => _lines.Enqueue((environment, line));

    public IReadOnlyList<(string Environment, string Line)> All => [.. _lines];

    public IReadOnlyList<string> Of(string environmentId) => [.. _lines.Where(l => l.Environment == environmentId).Select(l => l.Line)];

    /// <summary>The first line that starts with <paramref name="prefix"/>, waiting up to 5 s for it.</summary>
    public async Task<string> WaitForAsync(string prefix)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            var hit = _lines.FirstOrDefault(l => l.Line.StartsWith(prefix, StringComparison.Ordinal));
            if (hit.Line is not null)
            {
                return hit.Line;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no output line starting with '{prefix}'; got: {string.Join(" | ", _lines.Select(l => l.Line))}");
    }

    /// <summary>The pid in a line such as "started 1234".</summary>
    public async Task<int> PidAsync(string prefix) =>
        int.Parse((await WaitForAsync(prefix + " "))[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
