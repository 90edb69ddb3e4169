using System.Security.Cryptography;
using System.Text;

namespace FlowLogEvents;

/// <summary>
/// Every id the product derives, in one place: export task names, SQS deduplication ids and the message group id.
/// They are deterministic on purpose (a retry, a redelivery or a replay derives the same id, and SQS FIFO
/// deduplication or the task-name search adopts instead of doing the work twice), and they are part of the stored and
/// queued state, so a format never changes. The callers (<see cref="Signals.SignalPublisher"/>,
/// <see cref="Exports.ExportPolicy"/>, <see cref="Exports.ExportBatchProcessor"/>) explain why each id is shaped so.
/// </summary>
public static class Ids
{
    /// <summary>The one message group of the signal queue and the dead-letter queue: the export function handles one signal at a time.</summary>
    public const string MessageGroupId = "flowlogevents-exports";

    /// <summary>SQS's limit on MessageDeduplicationId.</summary>
    public const int MaxDeduplicationIdLength = 128;

    /// <summary>A short, stable, id-safe digest of a log group name.</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));

    // Signal function: one signal per log group and debounce window.

    /// <summary>A signal whose events all lie before the window's end: the window alone names it.</summary>
    public static string WindowSignal(string logGroup, long windowStart) => $"{Hash(logGroup)}-{windowStart}";

    /// <summary>A signal whose events are stamped beyond the window's end (producer clocks ahead).</summary>
    public static string WindowSignalBeyondEnd(string logGroup, long windowStart, long lastEventTime) => $"{Hash(logGroup)}-{windowStart}-{lastEventTime}";

    /// <summary>A possibly late delivery: the id names the stream and the range.</summary>
    public static string LateSignal(string logGroup, long windowStart, string logStream, long firstEventTime, long lastEventTime) =>
        $"{Hash(logGroup)}-{windowStart}-late-{Hash(logStream)}-{firstEventTime}-{lastEventTime}";

    /// <summary>A signal for a delivery recovered from the signal function's failure destination.</summary>
    public static string RecoveredSignal(string logGroup, long windowStart, string logStream, long firstEventTime, long lastEventTime) =>
        $"{Hash(logGroup)}-{windowStart}-recovered-{Hash(logStream)}-{firstEventTime}-{lastEventTime}";

    // Export function: messages it sends back to the queues.

    /// <summary>The retry of a work item the export function set back (its <paramref name="failures"/>-th failure), bounded.</summary>
    public static string Retry(string logGroup, string messageId, int failures) => Bounded($"retry-{Hash(logGroup)}-{messageId}-{failures}");

    /// <summary>A record of a failed batch sent again on its own, bounded.</summary>
    public static string Isolate(string messageId) => Bounded($"isolate-{messageId}");

    /// <summary>The continuation of a unit of work, derived from every record of the unit (not bounded: it is short).</summary>
    public static string Continue(string logGroup, string firstMessageId, IReadOnlyList<string> messageIds) => messageIds.Count == 1
        ? $"continue-{Hash(logGroup)}-{firstMessageId}"
        : $"continue-{Hash(logGroup)}-{firstMessageId}-{Hash(string.Join(',', messageIds))}";

    /// <summary>A message moved to the dead-letter queue: its own id, bounded.</summary>
    public static string DeadLetter(string messageId) => Bounded(messageId);

    /// <summary>An id within SQS's 128-character limit on MessageDeduplicationId: itself, or its digest.</summary>
    public static string Bounded(string id) => id.Length <= MaxDeduplicationIdLength ? id : "digest-" + Hash(id);

    // Export task names (CreateExportTask allows 1 to 512 characters).

    /// <summary>The digest of an export target: the deployment (stack name), the bucket and the destination prefix.</summary>
    public static string TargetHash(string deployment, string bucket, string destinationPrefix) => Hash($"{deployment}\n{bucket}\n{destinationPrefix}");

    /// <summary>A regular window's task name: at most 99 characters.</summary>
    public static string TaskName(string targetHash, string logGroup, long from, long to, int attempt) =>
        $"flowlogevents-{targetHash}-{Hash(logGroup)}-{from}-{to}-{attempt}";

    /// <summary>A late range's re-export task name (stream hashed: names stay short), at most 121 characters.</summary>
    public static string LateTaskName(string targetHash, string logGroup, string logStream, long from, long to, int attempt) =>
        $"flowlogevents-{targetHash}-{Hash(logGroup)}-late-{Hash(logStream)}-{from}-{to}-{attempt}";

    /// <summary>As <see cref="LateTaskName(string, string, string, long, long, int)"/>, with the ingestion bound of the signal that brought the range.</summary>
    public static string LateTaskName(string targetHash, string logGroup, string logStream, long from, long to, long ingestedBy, int attempt) =>
        $"flowlogevents-{targetHash}-{Hash(logGroup)}-late-{Hash(logStream)}-{from}-{to}-i{ingestedBy}-{attempt}";

    /// <summary>A window's name when a task of another destination already has <paramref name="takenName"/> (see <see cref="Exports.ExportPolicy.FreshTaskName"/>).</summary>
    public static string FreshTaskName(string takenName, string fresh, string foreignTaskId) =>
        takenName.StartsWith(fresh, StringComparison.Ordinal)
            ? $"{fresh}-{Hash(takenName + "|" + foreignTaskId)}"
            : fresh;
}
