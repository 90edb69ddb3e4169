using System.Globalization;
using System.Runtime.InteropServices;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// Puts a function process on the run's <see cref="SimulatedClock"/> without touching its code:
/// libfaketime (Debian package <c>faketime</c>) is preloaded and shifts and speeds up the process's
/// wall clock (<c>CLOCK_REALTIME</c>, which <see cref="TimeProvider.System"/> reads), while the
/// monotonic clock stays real, so timers, HTTP timeouts and the SDK's retry back-off run in real time
/// as the harness's own do. libfaketime anchors the speed-up at its own start inside the new process:
/// the variables are computed immediately before <c>Process.Start</c>, so the process's clock is
/// behind the run's by the time between the two (a few real milliseconds, times the speed: well
/// under a simulated second at speed 60), inside the product's clock-skew margin.
/// </summary>
public sealed class ProcessClock(SimulatedClock clock, TimeSpan offset)
{
    public const string InstallHint = "apt-get install faketime";

    /// <summary>The multi-threaded build of libfaketime, where Debian puts it.</summary>
    public static string LibraryPath { get; } = $"/usr/lib/{(RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64")}-linux-gnu/faketime/libfaketimeMT.so.1";

    /// <summary>The process's clock is the run's plus this (the clock-skew fault).</summary>
    public TimeSpan Offset { get; } = offset;

    /// <summary>Fails naming the package when libfaketime is missing.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(LibraryPath))
        {
            throw new FileNotFoundException($"libfaketime is not installed ({LibraryPath}); the local cloud needs it to run the function processes on the simulated clock. Install it with: {InstallHint}", LibraryPath);
        }
    }

    /// <summary>The variables for a process started now.</summary>
    public IReadOnlyDictionary<string, string> Variables()
    {
        ArgumentNullException.ThrowIfNull(clock);
        var shift = (clock.GetUtcNow() + Offset - DateTimeOffset.UtcNow).TotalSeconds;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = LibraryPath,
            ["FAKETIME"] = string.Create(CultureInfo.InvariantCulture, $"{shift:+0.000;-0.000}s x{clock.Speed:0.######}"),
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
            ["FAKETIME_NO_CACHE"] = "1",
        };
    }

    /// <summary>The process's wall clock now (for the Runtime API's deadline header).</summary>
    public DateTimeOffset Now() => clock.GetUtcNow() + Offset;

    /// <summary><paramref name="real"/> of real time as it passes on the process's (sped-up) clock.</summary>
    public TimeSpan OnProcessClock(TimeSpan real) => real * clock.Speed;
}
