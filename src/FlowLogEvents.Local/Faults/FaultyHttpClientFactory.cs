using Amazon.Runtime;

namespace FlowLogEvents.Local.Faults;

/// <summary>Gives an SDK client an <see cref="HttpClient"/> over an <see cref="AwsFaultHandler"/>.</summary>
public sealed class FaultyHttpClientFactory(AwsFaultHandler handler) : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new(handler, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(2) };

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    // One client for this factory's lifetime: the SDK must neither cache it under a key shared with
    // clients without faults nor dispose it after a request.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => _client.Dispose();
}
