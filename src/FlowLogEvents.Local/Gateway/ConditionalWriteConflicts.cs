using System.Collections.Concurrent;
using System.Net;
using System.Security;
using System.Text;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// S3's answer to conditional writes that race: "If a conflicting operation occurs during the upload S3 returns a
/// 409 ConditionalRequestConflict response. On a 409 failure you should fetch the object's ETag and retry the
/// upload" (PutObject API reference, If-Match / If-None-Match). moto serializes its requests and never says so.
/// AWS does not define "conflicting": the harsher reading is modelled, a conditional PutObject (If-Match or
/// If-None-Match) on a key that has another conditional PutObject in flight (relayed, not yet answered) is
/// answered 409 without reaching the service. At <see cref="Faults.FaultOptions.ConditionalConflictRate"/> a
/// function's conditional PutObject is answered 409 as well (a writer the run does not see).
/// </summary>
public sealed class ConditionalWriteConflicts
{
    /// <summary>The message S3 gives with its conflict errors (its error-code list, OperationAborted).</summary>
    public const string Message = "A conflicting conditional operation is currently in progress against this resource. Try again.";

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly double _rate;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public ConditionalWriteConflicts(double rate, int seed)
    {
        _rate = rate;
#pragma warning disable CA5394 // Reproducible fault schedules, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>Whether <paramref name="request"/> is a conditional PutObject (the writes S3 answers 409 to).</summary>
    public static bool IsConditionalPut(AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request is { Service: "s3", Operation: "PutObject", Bucket: not null, Key: not null } && (request.IfMatch is not null || request.IfNoneMatch is not null);
    }

    /// <summary>Marks the key of <paramref name="request"/> in flight; false when another conditional write of it already is (answer 409).</summary>
    public bool TryBegin(AwsRequestInfo request) => _inFlight.TryAdd(KeyOf(request), 0);

    /// <summary>The write begun by <see cref="TryBegin"/> was answered (or its caller went away).</summary>
    public void End(AwsRequestInfo request) => _inFlight.TryRemove(KeyOf(request), out _);

    /// <summary>Whether this conditional write of a function draws an injected conflict.</summary>
    public bool Inject()
    {
        if (_rate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
#pragma warning disable CA5394
            return _random.NextDouble() < _rate;
#pragma warning restore CA5394
        }
    }

    /// <summary>S3's REST-XML error: 409, <c>&lt;Error&gt;&lt;Code&gt;ConditionalRequestConflict&lt;/Code&gt;...</c>.</summary>
    public static GatewayResponse Response(AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ConditionalRequestConflict</Code><Message>{Message}</Message><Key>{SecurityElement.Escape(request.Key)}</Key><RequestId>{requestId}</RequestId><HostId>gateway</HostId></Error>";
        return new GatewayResponse(HttpStatusCode.Conflict, "application/xml", Encoding.UTF8.GetBytes(xml), [new("x-amz-request-id", requestId), new("x-amz-id-2", "gateway")]);
    }

    private static string KeyOf(AwsRequestInfo request) => request.Bucket + "/" + request.Key;
}
