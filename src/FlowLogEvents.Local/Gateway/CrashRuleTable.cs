using FlowLogEvents.Local.Faults;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// Maps a classified request of a function to the crash points it passes, as the in-process wrappers
/// place them (<see cref="CrashingExportTasks"/>, <see cref="CrashingCheckpointStore"/>, <see cref="CrashingQueueSender"/>):
/// <list type="table">
/// <item><term>export, logs CreateExportTask</term><description>export.before-create / export.after-create</description></item>
/// <item><term>export, s3 PutObject of a checkpoint key</term><description>export.before-checkpoint-write / export.after-checkpoint-write (also after a 412 / 409)</description></item>
/// <item><term>export, s3 GetObject of a checkpoint key other than the one the same invocation read last</term><description>export.between-log-groups (before only)</description></item>
/// <item><term>export, sqs SendMessage to the signal queue</term><description>export.before-continuation / export.after-continuation</description></item>
/// <item><term>export, logs StartQuery</term><description>verify.before-query / verify.after-query (on the wire only: the verification has no in-process wrapper)</description></item>
/// <item><term>export, s3 PutObject of a repair key (<c>.../repair-&lt;from&gt;-&lt;to&gt;/...</c>)</term><description>verify.before-repair-write / verify.after-repair-write (also after a 412; on the wire only)</description></item>
/// <item><term>signal, sqs SendMessage to the signal queue</term><description>signal.before-send / signal.after-send</description></item>
/// </list>
/// A checkpoint key is <c>&lt;state prefix&gt;/&lt;url-encoded log group&gt;.json</c> in the state bucket; the
/// <c>.json.exported</c> markers and <c>.json.quarantine-*</c> copies are not. In-process a "before" point is
/// passed once per call, before the SDK's retries: on the wire only the first attempt passes it.
/// Thread-safe; remembers the last checkpoint key each environment read in its current invocation.
/// </summary>
public sealed class CrashRuleTable
{
    private readonly string _signalFunction;
    private readonly string _exportFunction;
    private readonly string _stateBucket;
    private readonly string _statePrefix;
    private readonly string _signalQueuePath;
    private readonly Dictionary<string, (string? RequestId, string Key)> _lastCheckpointRead = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public CrashRuleTable(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _signalFunction = options.SignalFunctionName;
        _exportFunction = options.ExportFunctionName;
        _stateBucket = options.StateBucket;
        _statePrefix = options.StatePrefix.Trim('/');
        _signalQueuePath = QueuePath(options.SignalQueueUrl.ToString());
    }

    public CrashPoint Match(GatewayCaller caller, AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var point = Rule(caller, request);
        return request.Attempt > 1 ? point with { Before = null } : point;
    }

    /// <summary>Whether <paramref name="key"/> of <paramref name="bucket"/> is a log group's checkpoint object.</summary>
    public bool IsCheckpointKey(string? bucket, string? key)
    {
        if (bucket != _stateBucket || key is null || !key.EndsWith(".json", StringComparison.Ordinal))
        {
            return false;
        }

        var name = _statePrefix.Length == 0 ? key
            : key.StartsWith(_statePrefix + "/", StringComparison.Ordinal) ? key[(_statePrefix.Length + 1)..]
            : null;
        return name is { Length: > 5 } && !name.Contains('/', StringComparison.Ordinal);
    }

    private CrashPoint Rule(GatewayCaller caller, AwsRequestInfo request)
    {
        var export = caller.FunctionName == _exportFunction;
        var signal = caller.FunctionName == _signalFunction;
        return (request.Service, request.Operation) switch
        {
            ("logs", "CreateExportTask") when export => new(CrashSteps.ExportBeforeCreate, CrashSteps.ExportAfterCreate),
            ("s3", "PutObject") when export && IsCheckpointKey(request.Bucket, request.Key) =>
                new(CrashSteps.ExportBeforeCheckpointWrite, CrashSteps.ExportAfterCheckpointWrite, AfterOnConditionFailure: true),
            ("s3", "PutObject") when export && request.Key is { } key && key.Contains("/repair-", StringComparison.Ordinal) =>
                new(CrashSteps.VerifyBeforeRepairWrite, CrashSteps.VerifyAfterRepairWrite, AfterOnConditionFailure: true),
            ("logs", "StartQuery") when export => new(CrashSteps.VerifyBeforeQuery, CrashSteps.VerifyAfterQuery),
            ("s3", "GetObject") when export && IsCheckpointKey(request.Bucket, request.Key) =>
                ReadsAnotherLogGroup(caller, request.Key!) ? new(CrashSteps.ExportBetweenLogGroups, null) : CrashPoint.None,
            ("sqs", "SendMessage") when export && IsSignalQueue(request.QueueUrl) => new(CrashSteps.ExportBeforeContinuation, CrashSteps.ExportAfterContinuation),
            ("sqs", "SendMessage") when signal && IsSignalQueue(request.QueueUrl) => new(CrashSteps.SignalBeforeSend, CrashSteps.SignalAfterSend),
            _ => CrashPoint.None,
        };
    }

    /// <summary>Notes the read; true when the same invocation read another checkpoint last.</summary>
    private bool ReadsAnotherLogGroup(GatewayCaller caller, string key)
    {
        var requestId = caller.CurrentRequestId;
        lock (_gate)
        {
            var another = _lastCheckpointRead.TryGetValue(caller.EnvironmentId, out var last)
                && last.RequestId == requestId
                && !string.Equals(last.Key, key, StringComparison.Ordinal);
            _lastCheckpointRead[caller.EnvironmentId] = (requestId, key);
            return another;
        }
    }

    private bool IsSignalQueue(string? queueUrl) => queueUrl is not null && QueuePath(queueUrl) == _signalQueuePath;

    private static string QueuePath(string queueUrl) =>
        (Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri) ? uri.AbsolutePath : queueUrl).TrimEnd('/');
}
