using System.Collections.Concurrent;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>
/// The HTTP client of <see cref="CloudWatchLogsClient"/>: the platform's <see cref="SocketsHttpHandler"/> behind a
/// handler that lets each CreateExportTask attempt leave once. When the connection breaks after the service
/// acted (a reset: the answer is lost), AWSSDK.Core 4.1.0 sends the same attempt again below its retry policy
/// (seen against the local cloud's gateway: a second request with the same <c>amz-sdk-invocation-id</c>, the
/// same <c>amz-sdk-request: attempt=1</c> and the same signature; the service created a second task of the
/// window, whose records then reached S3 twice). CreateExportTask is not idempotent: an ambiguous failure must
/// reach the caller, which looks the task up by its name.
/// </summary>
internal sealed class CloudWatchLogsHttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = clientConfig.ConnectTimeout ?? TimeSpan.FromSeconds(10),
        };
        return new HttpClient(new SendOnceHandler(sockets), disposeHandler: true)
        {
            Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100),
        };
    }

    /// <summary>Refuses to send a CreateExportTask attempt (invocation id and attempt number) a second time.</summary>
    internal sealed class SendOnceHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        internal const string Target = "Logs_20140328." + CloudWatchLogsOperations.CreateExportTask;

        /// <summary>Attempts remembered; CreateExportTask is rare (tens an hour), so a small set, cleared when full, suffices.</summary>
        private const int Remembered = 1024;

        private readonly ConcurrentDictionary<string, byte> _sent = new(StringComparer.Ordinal);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.Contains(Target, StringComparer.Ordinal)
                && request.Headers.TryGetValues("amz-sdk-invocation-id", out var invocation)
                && request.Headers.TryGetValues("amz-sdk-request", out var attempt))
            {
                if (_sent.Count >= Remembered)
                {
                    _sent.Clear();
                }

                var key = string.Join(",", invocation) + "|" + string.Join(",", attempt);
                if (!_sent.TryAdd(key, 0))
                {
                    throw new HttpRequestException($"CreateExportTask attempt {key} was already sent once and its answer was lost; it is not sent again (not idempotent): the caller looks the task up by its name");
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
