using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Integration;

/// <summary>A moto_server on a free 127.0.0.1 port for one test class, stopped after it.</summary>
public sealed class MotoServer : IAsyncLifetime
{
    private MotoServerProcess? _process;

    public Uri Endpoint => _process?.Endpoint ?? throw new InvalidOperationException("moto_server is not started");

    public static string Region => "us-east-1";

    public async Task InitializeAsync() => _process = await MotoServerProcess.StartAsync();

    public Task ResetAsync() => _process!.ResetAsync();

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
