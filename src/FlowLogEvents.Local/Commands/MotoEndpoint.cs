using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Commands;

/// <summary>
/// The moto_server a command runs against, the one place that starts it: AWS_ENDPOINT_URL's when set, else a
/// moto_server started now from PATH or ~/.pyenv/shims, stopped when this is disposed unless <see cref="Keep"/> was called.
/// </summary>
internal sealed class MotoEndpoint : IAsyncDisposable
{
    private bool _kept;

    private MotoEndpoint(Uri endpoint, MotoServerProcess? started)
    {
        Endpoint = endpoint;
        Started = started;
    }

    public Uri Endpoint { get; }

    /// <summary>The moto_server this command started; null when AWS_ENDPOINT_URL names a running one.</summary>
    public MotoServerProcess? Started { get; }

    /// <summary>
    /// The endpoint, or null and the message to print (exit code 2): moto_server is not installed, or did not start.
    /// </summary>
    public static async Task<(MotoEndpoint? Moto, string? Error)> AcquireAsync(CancellationToken ct)
    {
        var endpointOverride = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(endpointOverride))
        {
            return (new MotoEndpoint(new Uri(endpointOverride), null), null);
        }

        if (MotoServerProcess.Locate() is null)
        {
            return (null, $"moto_server was not found on PATH nor in ~/.pyenv/shims. Install it with:\n\n    {MotoServerProcess.InstallHint}\n\nor point AWS_ENDPOINT_URL at a running moto_server.");
        }

        try
        {
            var started = await MotoServerProcess.StartAsync(ct).ConfigureAwait(false);
            return (new MotoEndpoint(started.Endpoint, started), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            return (null, $"moto_server did not start: {ex.Message}\nInstall or repair it with: {MotoServerProcess.InstallHint}");
        }
    }

    /// <summary>
    /// <see cref="AcquireAsync"/> for a command: on failure the message goes to stderr and the result is null (the
    /// command then exits 2).
    /// </summary>
    public static async Task<MotoEndpoint?> AcquireOrReportAsync(CancellationToken ct)
    {
        var (moto, error) = await AcquireAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
        }

        return moto;
    }

    /// <summary>Says on stdout which moto_server this command started (nothing when AWS_ENDPOINT_URL named one).</summary>
    public void AnnounceStarted()
    {
        if (Started is { } started)
        {
            Console.Out.WriteLine($"Started moto_server on {started.Endpoint} (pid {started.ProcessId}).");
        }
    }

    /// <summary>Leaves the started moto_server running after this command (<c>--keep</c>).</summary>
    public void Keep() => _kept = true;

    public async ValueTask DisposeAsync()
    {
        if (Started is not null && !_kept)
        {
            await Started.DisposeAsync().ConfigureAwait(false);
        }
    }
}
