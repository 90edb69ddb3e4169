using System.Net;
using System.Net.Sockets;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>An <see cref="HttpListener"/> started on a free 127.0.0.1 port: the one way the local cloud's servers bind.</summary>
public static class LoopbackListener
{
    /// <summary>Probes a free port and binds it, trying another when a process took it in between.</summary>
    public static (HttpListener Listener, int Port) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
