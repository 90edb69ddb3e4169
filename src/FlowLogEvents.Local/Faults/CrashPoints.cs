using FlowLogEvents.Exports;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Local.Faults;

/// <summary>
/// The death of one execution environment. A crash point calls <see cref="DieAsync"/>, which never
/// returns: the invocation stops where it stands, no catch block of the function runs (nothing is
/// thrown), nothing after it happens. The host sees <see cref="Died"/> complete and treats the
/// invocation as Lambda treats a dead process: no response.
/// </summary>
public sealed class ProcessDeath
{
    private readonly TaskCompletionSource<string> _died = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Died => _died.Task;

    /// <summary>The log group the current invocation last loaded a checkpoint of (for the between-log-groups point).</summary>
    internal string? LastLogGroup { get; set; }

    public void BeginInvocation() => LastLogGroup = null;

    public Task DieAsync(string step)
    {
        _died.TrySetResult(step);
        return Task.Delay(Timeout.Infinite, CancellationToken.None);
    }
}

/// <summary>Decides, with a seeded generator, whether reaching a crash point kills the process.</summary>
public sealed class CrashSchedule
{
    private readonly HashSet<string> _armed;
    private readonly double _rate;
    private readonly int _max;
    private readonly FaultCounters _counters;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public CrashSchedule(FaultOptions options, FaultCounters counters, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _armed = [.. options.CrashAt];
        _rate = options.CrashRate;
        _max = options.MaxCrashesPerStep;
        _counters = counters;
#pragma warning disable CA5394
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    public bool Armed => _armed.Count > 0;

    /// <summary>Returns normally, or never (the process died at <paramref name="step"/>).</summary>
    public Task ReachAsync(string step, ProcessDeath death)
    {
        ArgumentNullException.ThrowIfNull(death);
        return Reach(step) ? death.DieAsync(step) : Task.CompletedTask;
    }

    /// <summary>
    /// Counts reaching <paramref name="step"/> and draws whether the process dies there: true means the
    /// caller must kill it now (counted as <c>crash.&lt;step&gt;</c>).
    /// </summary>
    public bool Reach(string step)
    {
        if (!_armed.Contains(step))
        {
            return false;
        }

        lock (_gate)
        {
            _counters.Add("reached." + step);
#pragma warning disable CA5394
            if (_counters.Get("crash." + step) >= _max || _random.NextDouble() >= _rate)
#pragma warning restore CA5394
            {
                return false;
            }

            _counters.Add("crash." + step);
            return true;
        }
    }
}

/// <summary>Crash points around checkpoint reads and writes (and between two log groups of one batch).</summary>
public sealed class CrashingCheckpointStore(ICheckpointStore inner, CrashSchedule schedule, ProcessDeath death) : ICheckpointStore
{
    public async Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct)
    {
        if (death.LastLogGroup is { } previous && !string.Equals(previous, logGroup, StringComparison.Ordinal))
        {
            await schedule.ReachAsync(CrashSteps.ExportBetweenLogGroups, death).ConfigureAwait(false);
        }

        death.LastLogGroup = logGroup;
        return await inner.LoadAsync(logGroup, ct).ConfigureAwait(false);
    }

    public async Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct)
    {
        await schedule.ReachAsync(CrashSteps.ExportBeforeCheckpointWrite, death).ConfigureAwait(false);
        var written = await inner.TryWriteAsync(checkpoint, expectedETag, ct).ConfigureAwait(false);
        await schedule.ReachAsync(CrashSteps.ExportAfterCheckpointWrite, death).ConfigureAwait(false);
        return written;
    }

    public Task<string?> QuarantineAsync(string logGroup, CancellationToken ct) => inner.QuarantineAsync(logGroup, ct);

    public Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct) => inner.MarkExportedAsync(logGroup, at, ct);

    public Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct) => inner.FindExportedMarkerAsync(logGroup, ct);
}

/// <summary>Crash points around CreateExportTask.</summary>
public sealed class CrashingExportTasks(IExportTasks inner, CrashSchedule schedule, ProcessDeath death) : IExportTasks
{
    public async Task<string> CreateAsync(ExportTaskSpec spec, CancellationToken ct)
    {
        await schedule.ReachAsync(CrashSteps.ExportBeforeCreate, death).ConfigureAwait(false);
        var taskId = await inner.CreateAsync(spec, ct).ConfigureAwait(false);
        await schedule.ReachAsync(CrashSteps.ExportAfterCreate, death).ConfigureAwait(false);
        return taskId;
    }

    public Task<ExportTaskInfo?> DescribeAsync(string taskId, CancellationToken ct) => inner.DescribeAsync(taskId, ct);

    public Task<IReadOnlyList<ExportTaskInfo>> FindByNameAsync(string logGroup, string taskName, DateTimeOffset createdSince, CancellationToken ct) =>
        inner.FindByNameAsync(logGroup, taskName, createdSince, ct);

    public Task<long?> GetLogGroupCreationTimeAsync(string logGroup, CancellationToken ct) => inner.GetLogGroupCreationTimeAsync(logGroup, ct);
}

/// <summary>Crash points around SendMessage (the signal function's signal, the export function's continuation).</summary>
public sealed class CrashingQueueSender(IQueueSender inner, CrashSchedule schedule, ProcessDeath death, string beforeStep, string afterStep) : IQueueSender
{
    public async Task SendAsync(QueueMessage message, CancellationToken ct)
    {
        await schedule.ReachAsync(beforeStep, death).ConfigureAwait(false);
        await inner.SendAsync(message, ct).ConfigureAwait(false);
        await schedule.ReachAsync(afterStep, death).ConfigureAwait(false);
    }
}

/// <summary>
/// One Lambda execution environment of a function, built by a factory that receives its
/// <see cref="ProcessDeath"/>. An invocation returns the handler's response, throws what it threw, or
/// returns null when the process died; the next invocation then gets a fresh environment (a cold
/// start: the warm state of the dead one is gone). The dead invocation's task stays blocked forever.
/// </summary>
public sealed class FunctionHost<TFunction>(Func<ProcessDeath, TFunction> build, Func<TFunction, Stream, Task<Stream>> handle) : IFunctionInvoker
    where TFunction : class
{
    private ProcessDeath? _death;
    private TFunction? _function;

    public int Deaths { get; private set; }

    /// <summary>In-process: the trace header is not passed on (no <c>_X_AMZN_TRACE_ID</c> per invocation).</summary>
    public async Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null)
    {
        var death = _death ??= new ProcessDeath();
        var function = _function ??= build(death);
        death.BeginInvocation();
        var call = handle(function, new MemoryStream(payload, writable: false));
        var first = await Task.WhenAny(call, death.Died).ConfigureAwait(false);
        if (first == call)
        {
            return await call.ConfigureAwait(false);
        }

        Deaths++;
        _death = null;
        _function = null;
        return null;
    }
}

/// <summary>The functions' clock: the cloud's clock plus a fixed offset (clock skew).</summary>
public sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override long GetTimestamp() => inner.GetTimestamp();
}
