using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// Breaks the connection of a request before any response is written: a TCP reset, as when the process
/// or the network dies. <see cref="HttpListenerResponse.Abort"/> does not do that on Linux: the managed
/// listener still writes a "200" with an empty body, which an SDK would parse as a success. So the
/// listener's socket is closed with a zero linger (RST); the caller's HttpClient throws an
/// HttpRequestException over "Connection reset by peer", which the AWS SDKs retry as they retry a reset.
/// </summary>
internal static class ConnectionReset
{
    // System.Net.HttpListenerContext.Connection (internal) -> System.Net.HttpConnection._socket (private), managed implementation.
    private static readonly PropertyInfo? ConnectionProperty = typeof(HttpListenerContext).GetProperty("Connection", BindingFlags.NonPublic | BindingFlags.Instance);

    public static void Reset(HttpListenerContext context)
    {
        if (Socket(context) is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
        }
        else
        {
            // The listener's internals changed: an informational status with no final response still
            // leaves the caller without an answer (HttpClient fails on what follows it).
            context.Response.StatusCode = (int)HttpStatusCode.EarlyHints;
        }

        try
        {
            // Lets the listener forget the connection.
            context.Response.Abort();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
        }
    }

    private static Socket? Socket(HttpListenerContext context)
    {
        var connection = ConnectionProperty?.GetValue(context);
        return connection?.GetType().GetField("_socket", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(connection) as Socket;
    }
}
