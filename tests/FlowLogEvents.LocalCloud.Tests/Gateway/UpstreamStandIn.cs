using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>A tiny upstream (moto or the CloudWatch Logs front) on 127.0.0.1: records every request and answers with <see cref="Respond"/>.</summary>
internal sealed class UpstreamStandIn : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public UpstreamStandIn()
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Endpoint = new Uri($"http://127.0.0.1:{port}");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Writes the answer (default: 200, empty body).</summary>
    public Action<HttpListenerResponse> Respond { get; set; } = _ => { };

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue(new Received(context.Request.HttpMethod, context.Request.RawUrl ?? string.Empty, new NameValueCollection(context.Request.Headers), body.ToArray()));
            Respond(context.Response);
            context.Response.Close();
        }
    }

    public sealed record Received(string Method, string RawUrl, NameValueCollection Headers, byte[] Body);
}
