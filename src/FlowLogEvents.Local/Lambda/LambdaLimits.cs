namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// Lambda's payload limits and its init phase limit, in bytes and real time.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="MaxResponseBytes"/> 6,291,556 = 6 MiB + 100 bytes: the figure of Lambda's own error,
/// "Response payload size exceeded maximum allowed payload size (6291556 bytes)." (<c>Function.ResponseSizeTooLarge</c>),
/// and of the runtime interface emulator's <c>interop.MaxPayloadSize = 6*1024*1024 + 100</c>.</item>
/// <item><see cref="MaxSyncRequestBytes"/> 6,291,456 = 6 MiB: the figure of Lambda's rejection of a synchronous
/// request, "... byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)".
/// The Invoke API front end quotes 6291556 for the whole HTTP request; the smaller figure is the safe one.</item>
/// <item><see cref="MaxAsyncRequestBytes"/> 1,048,576 = 1 MiB: asynchronous invocations were raised from 256 KB
/// (262,144 bytes) to "1 MB" in October 2025; read in binary units, as the old figure was and as SQS states its new one.</item>
/// </list>
/// </remarks>
public static class LambdaLimits
{
    public const int MaxSyncRequestBytes = 6 * 1024 * 1024;

    public const int MaxAsyncRequestBytes = 1024 * 1024;

    public const int MaxResponseBytes = (6 * 1024 * 1024) + 100;

    /// <summary>Lambda's limit on the init phase of an on-demand environment (10 seconds).</summary>
    public static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    public static int MaxRequestBytes(InvocationType type) =>
        type == InvocationType.Event ? MaxAsyncRequestBytes : MaxSyncRequestBytes;
}
