using FlowLogEvents.Exports.StateMachine;
using FlowLogEvents.Observability;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Exports;

/// <summary>
/// The checkpoint state machine of one log group. Each step re-reads the checkpoint, decides, and
/// writes with compare-and-swap; on a conflict it re-reads and decides again. The window is recorded
/// (and claimed) before its task is created, the task's deterministic name lets a restart adopt it,
/// and the checkpoint only advances once the task is COMPLETED. A crash between any two calls leaves
/// a state from which the next run converges with no gap and no duplicate.
/// </summary>
/// <remarks>
/// The I/O shell of the state machine: it initialises the checkpoint, moves an earlier start and queues late ranges
/// (once a run), then asks <see cref="ExportStateMachine.Decide"/> for the one step to take over the checkpoint as read
/// (describing or searching the export's task when the decision asks, then deciding again) and performs it: the
/// compare-and-swap writes, CreateExportTask, the logs and metrics. Regular windows and late exports go through the same
/// steps.
/// </remarks>
public sealed class ExportCoordinator
{
    private const int MaxSteps = 12;

    private readonly ICheckpointStore _store;
    private readonly IExportTasks _tasks;
    private readonly ExportPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;
    private readonly ExportStateMachine _configuredMachine;
    private readonly VerificationRunner? _verification;

    // This run's settle delay (learned from the delivery lags) and the lags its writes add to the checkpoint; set when a
    // run starts (runs of one coordinator are sequential: ExportBatchProcessor runs one log group after another).
    private ExportStateMachine _machine;
    private ExportPolicy _runPolicy;
    private IReadOnlyList<Settling.DeliveryLagSample> _runLags = [];

    // The checkpoint as this run last read it: the verification answers "nothing due" from it without another read.
    private Checkpoint? _lastRead;

    /// <param name="verification">Checks the exported windows due after each run (null: windows are not verified here).</param>
    public ExportCoordinator(ICheckpointStore store, IExportTasks tasks, ExportPolicy policy, TimeProvider time, Telemetry telemetry, VerificationRunner? verification = null)
    {
        _store = store;
        _tasks = tasks;
        _policy = policy;
        _time = time;
        _telemetry = telemetry;
        _configuredMachine = new ExportStateMachine(policy);
        _machine = _configuredMachine;
        _runPolicy = policy;
        _verification = verification;
    }

    /// <summary>The clock this coordinator decides on (the batch's signal limits are judged on it too).</summary>
    public TimeProvider Clock => _time;

    /// <summary>Runs the state machine for one log group and reports its export lag (now minus checkpoint).</summary>
    public async Task<ExportOutcome> RunAsync(ExportWork work, CancellationToken ct)
    {
        _lastRead = null;
        ExportOutcome outcome;
        try
        {
            outcome = await RunStepsAsync(work, ct).ConfigureAwait(false);
        }
        catch (CheckpointMissingException ex)
        {
            _telemetry.Error(LogEvents.CheckpointMissing, ("logGroup", work.LogGroup), ("reason", ex.Message), ("action", "not recreated from a guess; the work is set aside: restore the checkpoint, then replay"));
            _telemetry.Metric(MetricNames.CheckpointsMissing, 1, MetricUnit.Count);
            throw;
        }
        finally
        {
            _machine = _configuredMachine;
            _runPolicy = _policy;
            _runLags = [];
        }

        var lastRead = _lastRead;
        _lastRead = null;
        if (_verification is not null && await _verification.RunDueAsync(work.LogGroup, lastRead, ct).ConfigureAwait(false) is { } due && outcome.State == ExportState.Done)
        {
            // Windows await their checks: the work carries on as a continuation until the last one is final.
            var reason = $"exported windows await verification (next check due {due.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})";
            _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", work.LogGroup), ("reason", reason), ("exportedThrough", outcome.ExportedThrough));
            outcome = new ExportOutcome(ExportState.Waiting, reason, outcome.ExportedThrough);
        }

        var lag = _time.GetUtcNow().ToUnixTimeMilliseconds() - outcome.ExportedThrough;
        _telemetry.Metric(MetricNames.ExportLag, lag, MetricUnit.Milliseconds, ("LogGroup", work.LogGroup));
        return outcome;
    }

    private async Task<ExportOutcome> RunStepsAsync(ExportWork work, CancellationToken ct)
    {
        var logGroup = work.LogGroup;
        var target = work.Target(_policy.ClockSkewMargin);
        var lateChecked = false;
        var startChecked = false;
        var settleLearned = false;
        List<LateRange>? lateRanges = null;
        var conflicts = new ConflictCount();
        long? lastExportedThrough = null;
        for (var step = 0; step < MaxSteps; step++)
        {
            var stored = await LoadAsync(logGroup, ct).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (stored is null && lastExportedThrough is { } before)
            {
                throw new CheckpointMissingException($"checkpoint of '{logGroup}' was deleted while in use (it stood at exportedThrough {before} one step earlier)");
            }

            lastExportedThrough = stored?.Value.ExportedThrough;
            if (stored is null)
            {
                if (work.FirstDataEventTime is null)
                {
                    // A continuation is only ever sent after its run found or created the checkpoint.
                    throw new CheckpointMissingException($"checkpoint of '{logGroup}' is missing, but this work is a continuation of a run that had one");
                }

                if (await _store.FindExportedMarkerAsync(logGroup, ct).ConfigureAwait(false) is { } marker)
                {
                    // Another runner may have initialised the log group between our load and this lookup (it writes the
                    // checkpoint, then the marker): re-read before calling the checkpoint missing.
                    if (await LoadAsync(logGroup, ct).ConfigureAwait(false) is not null)
                    {
                        continue;
                    }

                    // Deleted between runs: the marker outlived it. Starting over would be a guess.
                    throw new CheckpointMissingException($"checkpoint of '{logGroup}' is missing, but the log group was exported before ({marker}); restore the checkpoint, or delete the marker too to start over");
                }

                var start = await ResolveStartAsync(work, ct).ConfigureAwait(false);
                var fresh = Checkpoint.Start(logGroup, start, now);
                if (await WriteAsync(fresh, null, "initialize", conflicts, ct).ConfigureAwait(false) is not null)
                {
                    await _store.MarkExportedAsync(logGroup, now, ct).ConfigureAwait(false);
                    _telemetry.Info(LogEvents.CheckpointInitialized, ("logGroup", logGroup), ("startTime", start), ("startMode", _policy.StartMode.ToString()));
                }

                continue;
            }

            var (checkpoint, etag) = (stored.Value, stored.ETag);
            _lastRead = checkpoint;
            if (!settleLearned)
            {
                LearnSettleDelay(work, checkpoint);
                settleLearned = true;
            }

            // Judged once, against the checkpoint as the run first found it: windows planned later in this run (and
            // exports of ranges before its start queued later) were planned after these events were ingested.
            lateRanges ??= FindLateRanges(work, checkpoint);
            if (!startChecked)
            {
                if (_machine.EarlierStart(work, checkpoint, now) is { } earlier)
                {
                    if (await WriteAsync(earlier, etag, "start-earlier", conflicts, ct).ConfigureAwait(false) is null)
                    {
                        continue;
                    }

                    var queuedBefore = earlier.LateExports.Count > checkpoint.LateExports.Count ? earlier.LateExports[^1] : null;
                    _telemetry.Warn(
                        LogEvents.StartMoved,
                        ("logGroup", logGroup),
                        ("reason", "a signal stands for events before the checkpoint's start (it arrived after a later signal started the log group: a DLQ replay, a start-over, a manual run); no export covers them"),
                        ("startTime", earlier.StartTime),
                        ("previousStartTime", checkpoint.StartTime),
                        ("action", queuedBefore is null
                            ? "nothing exported yet: the first window starts at the new start"
                            : $"export of [{queuedBefore.From}, {queuedBefore.To}] for the whole log group queued ({queuedBefore.TaskName}), into the regular prefix"));
                    startChecked = true;
                    continue;
                }

                startChecked = true;
            }

            if (!lateChecked)
            {
                var (queued, actions) = _machine.QueueLate(checkpoint, lateRanges, now);
                if (queued is not null)
                {
                    if (await WriteAsync(queued, etag, "queue-late", conflicts, ct).ConfigureAwait(false) is null)
                    {
                        continue;
                    }

                    foreach (var late in queued.LateExports.Skip(checkpoint.LateExports.Count))
                    {
                        _telemetry.Info(LogEvents.LateQueued, ("logGroup", logGroup), ("logStream", late.LogStream), ("from", late.From), ("to", late.To), ("taskName", late.TaskName), ("destination", $"s3://{_policy.ExportBucket}/{_policy.LateDestinationPrefix(logGroup)}"));
                    }
                }

                // Logged once the decision is written, with what really became of each range.
                for (var i = 0; i < lateRanges.Count; i++)
                {
                    ReportLate(work.LogGroup, checkpoint, lateRanges[i], actions[i]);
                }

                lateChecked = true;
                if (queued is not null)
                {
                    continue;
                }
            }

            var decided = _machine.Decide(checkpoint, target, now);
            if (decided.Kind is ExportStepKind.DescribeTask or ExportStepKind.SearchTask)
            {
                decided = _machine.Decide(checkpoint, target, now, await LookUpAsync(logGroup, decided, ct).ConfigureAwait(false));
            }

            if (await PerformAsync(decided, checkpoint, etag, target, conflicts, ct).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }
        }

        if (conflicts.Value == 0 && lastExportedThrough is { } exported)
        {
            // No writer interfered: tasks completed as fast as they were created (a long backlog). Progress
            // is saved; a continuation carries on instead of failing a healthy batch as contention.
            const string reason = "step budget of one run used; continuing later";
            _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("reason", reason), ("exportedThrough", exported), ("target", target), ("steps", MaxSteps));
            return new ExportOutcome(ExportState.Waiting, reason, exported);
        }

        throw new CheckpointContentionException($"checkpoint of '{logGroup}' did not settle within {MaxSteps} steps (concurrent writers?)");
    }

    /// <summary>
    /// Sets this run's settle delay from the checkpoint's delivery lags and this work's (<see cref="Settling.SettleLearner"/>);
    /// the lags are added to the checkpoint by every write of the run.
    /// </summary>
    private void LearnSettleDelay(ExportWork work, Checkpoint checkpoint)
    {
        _runLags = Settling.SettleLearner.Samples(work, _policy);
        if (!_policy.LearnSettleDelay)
        {
            return;
        }

        var learned = Settling.SettleLearner.SettleDelay(Settling.SettleLearner.Merge(checkpoint.DeliveryLags, _runLags), _policy);
        _runPolicy = _policy with { LearnedSettleDelay = learned };
        _machine = new ExportStateMachine(_runPolicy);
    }

    /// <summary>
    /// Loads the checkpoint; an unreadable object is copied to a quarantine key (left in place, never
    /// overwritten) and reported before the error goes up to set the work aside.
    /// </summary>
    private async Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct)
    {
        try
        {
            return await _store.LoadAsync(logGroup, ct).ConfigureAwait(false);
        }
        catch (CheckpointFormatException ex)
        {
            var copy = await _store.QuarantineAsync(logGroup, ct).ConfigureAwait(false);
            _telemetry.Error(LogEvents.CheckpointQuarantined, ("logGroup", logGroup), ("reason", ex.Message), ("quarantineCopy", copy), ("action", "left in place, never overwritten by a guess; copied aside; the work is set aside"));
            _telemetry.Metric(MetricNames.CheckpointsQuarantined, 1, MetricUnit.Count);
            throw new CheckpointFormatException($"{ex.Message} (copy kept at {copy ?? "nowhere: the object is gone"})", ex);
        }
    }

    private void ReportNameTaken(string logGroup, InFlightExport export, IReadOnlyList<ExportTaskInfo> foreign, string nextTaskName, string destinationPrefix)
    {
        foreach (var task in foreign)
        {
            _telemetry.Error(
                LogEvents.TaskNameTaken,
                ("logGroup", logGroup),
                ("logStream", export.LogStream),
                ("taskName", export.TaskName),
                ("taskId", task.TaskId),
                ("status", task.Status.ToString()),
                ("foundDestination", $"s3://{task.Destination}/{task.DestinationPrefix}"),
                ("expectedDestination", $"s3://{_policy.ExportBucket}/{destinationPrefix}"),
                ("nextTaskName", nextTaskName),
                ("reason", "a task with this window's name exports elsewhere (another stack in the account, or a name from before names carried the destination)"),
                ("action", "not adopted; the window is exported under a fresh name"));
        }
    }

    /// <summary>
    /// Asks CloudWatch Logs what the state machine wants to know about the export's task: DescribeExportTasks for its
    /// recorded id, or a search by name among tasks created since it was planned (minus the clock skew margin and
    /// <see cref="ExportPolicy.NameSearchSlack"/>: a name cannot exist before its window was planned). The machine keeps
    /// only a task of our destination; tasks with the name and another destination are another deployment's.
    /// </summary>
    private async Task<TaskLookup> LookUpAsync(string logGroup, ExportStep step, CancellationToken ct)
    {
        var export = step.Subject!;
        return step.Kind == ExportStepKind.DescribeTask
            ? TaskLookup.Described(await _tasks.DescribeAsync(export.TaskId!, ct).ConfigureAwait(false))
            : new TaskLookup(await _tasks.FindByNameAsync(logGroup, export.TaskName, _policy.NameExistsSince(export.PlannedAt), ct).ConfigureAwait(false));
    }

    /// <summary>Performs one decided step (writes, task calls, logs, metrics); returns an outcome only when the run ends: done, or waiting.</summary>
    private async Task<ExportOutcome?> PerformAsync(ExportStep step, Checkpoint checkpoint, string etag, long target, ConflictCount conflicts, CancellationToken ct)
    {
        var logGroup = checkpoint.LogGroup;
        switch (step.Kind)
        {
            case ExportStepKind.Done:
                // Done needs an empty late queue too: SlotTurn gives the late export the turn whenever no window is ready.
                // Subtle but sound (code review, issue 12): "done" is answered only with no window in flight and no late
                // range queued, so every open window and queued range is always driven by some message (this run's
                // continuation); a log group that falls silent cannot strand one.
                _telemetry.Info(LogEvents.ExportDone, ("logGroup", logGroup), ("exportedThrough", checkpoint.ExportedThrough), ("target", target));
                return new ExportOutcome(ExportState.Done, step.Reason!, checkpoint.ExportedThrough);

            case ExportStepKind.Wait:
                return Waiting(step, checkpoint, target);

            case ExportStepKind.SetAside:
                throw new InvalidOperationException(step.Reason);

            case ExportStepKind.PlanWindow:
            case ExportStepKind.ClaimTask:
                return await ClaimAndCreateAsync(step, etag, target, conflicts, ct).ConfigureAwait(false);

            case ExportStepKind.AdoptTask:
                if (await WriteAsync(step.Next!, etag, step.WriteName!, conflicts, ct).ConfigureAwait(false) is not null)
                {
                    var task = step.Task!;
                    _telemetry.Info(LogEvents.TaskAdopted, Tagged(step, ("logGroup", logGroup), ("taskId", task.TaskId), ("taskName", task.TaskName), ("status", task.Status.ToString())));
                }

                return null;

            case ExportStepKind.Advance:
                await AdvanceAsync(step, checkpoint, etag, conflicts, ct).ConfigureAwait(false);
                return null;

            case ExportStepKind.RetryNewAttempt:
            case ExportStepKind.SplitWindow:
                await RetryAsync(step, logGroup, etag, conflicts, ct).ConfigureAwait(false);
                return null;

            default:
                throw new InvalidOperationException($"step {step.Kind} is not performed here");
        }
    }

    private ExportOutcome Waiting(ExportStep step, Checkpoint checkpoint, long target)
    {
        var logGroup = checkpoint.LogGroup;
        var reason = step.Reason!;
        switch (step.WaitReason)
        {
            case WaitReason.NotSettled:
                _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("reason", reason), ("exportedThrough", checkpoint.ExportedThrough), ("target", target), ("settleDelaySeconds", (long)(_runPolicy.LearnedSettleDelay ?? _policy.SettleDelay).TotalSeconds), ("clockSkewSeconds", (long)_policy.ClockSkewMargin.TotalSeconds));
                return new ExportOutcome(ExportState.Waiting, reason, checkpoint.ExportedThrough);

            case WaitReason.ClaimedByAnother:
                _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("reason", reason), ("taskName", step.Subject!.TaskName), ("claimedAt", step.Since));
                return new ExportOutcome(ExportState.Waiting, reason, checkpoint.ExportedThrough);

            case WaitReason.TaskActive:
                _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("reason", reason), ("taskId", step.Task!.TaskId), ("status", step.Task.Status.ToString()));
                return new ExportOutcome(ExportState.Waiting, reason, checkpoint.ExportedThrough, step.Task.TaskId);

            default:
                // AWS promises no read-after-create: within ExportPolicy.UnknownTaskGrace of its recording the export waits.
                var export = step.Subject!;
                _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("logStream", export.LogStream), ("reason", reason), ("taskId", export.TaskId), ("taskRecordedAt", step.Since), ("graceSeconds", (long)ExportPolicy.UnknownTaskGrace.TotalSeconds));
                return new ExportOutcome(ExportState.Waiting, reason, checkpoint.ExportedThrough, export.TaskId);
        }
    }

    /// <summary>
    /// Claims an export (a regular window as it is planned, or an export found without a task) and creates its task;
    /// returns an outcome only when it must wait. The claim's write names the step; only the runner that won it sends
    /// CreateExportTask. On a definite "not created" the claim is released, unsent again when no request had been sent
    /// for the name before this claim (<see cref="ExportStep.UnsentBefore"/>): sound only because CreateExportTask is never
    /// retried after an ambiguous failure (a LimitExceeded answer then speaks for the only request sent).
    /// </summary>
    private async Task<ExportOutcome?> ClaimAndCreateAsync(ExportStep step, string etag, long target, ConflictCount conflicts, CancellationToken ct)
    {
        var claimed = step.Next!;
        var logGroup = claimed.LogGroup;
        var kind = step.Export;
        var claimedEtag = await WriteAsync(claimed, etag, step.WriteName!, conflicts, ct).ConfigureAwait(false);
        if (claimedEtag is null)
        {
            return null;
        }

        var export = ExportStateMachine.Current(claimed, kind);
        if (step.Kind == ExportStepKind.PlanWindow)
        {
            _telemetry.Info(LogEvents.WindowPlanned, ("logGroup", logGroup), ("from", export.From), ("to", export.To), ("taskName", export.TaskName), ("target", target), ("settleDelaySeconds", (long)(_runPolicy.LearnedSettleDelay ?? _policy.SettleDelay).TotalSeconds));
        }
        else
        {
            ReportNameTaken(logGroup, step.Subject!, step.Foreign, export.TaskName, step.DestinationPrefix!);
        }

        var spec = new ExportTaskSpec(export.TaskName, logGroup, export.From, export.To, _policy.ExportBucket, step.DestinationPrefix!, kind == ExportKind.Late ? export.LogStream : null);
        var release = kind == ExportKind.Regular ? "release" : "release-late";
        string taskId;
        try
        {
            taskId = await _tasks.CreateAsync(spec, ct).ConfigureAwait(false);
        }
        catch (ExportSlotBusyException ex)
        {
            // Definitely not created: release the claim so the next run need not wait out the lease.
            // Sound only because CreateExportTask is never retried after an ambiguous failure (a 5xx, a lost response:
            // CloudWatchLogsRetryPolicy and CloudWatchLogsHttpClientFactory send each attempt once), so LimitExceeded
            // answers the only request sent under this name; after any other failure the claim stays and the name is
            // searched before a new attempt.
            await WriteAsync(ExportStateMachine.Released(claimed, kind, step.UnsentBefore), claimedEtag, release, conflicts, ct).ConfigureAwait(false);
            const string reason = "another export task holds the account's single export slot";
            _telemetry.Info(LogEvents.ExportDeferred, ("logGroup", logGroup), ("reason", reason), ("taskName", export.TaskName), ("error", ex.Message));
            _telemetry.Metric(MetricNames.ExportSlotBusy, 1, MetricUnit.Count);
            return new ExportOutcome(ExportState.Waiting, reason, claimed.ExportedThrough);
        }
        catch (ExportRejectedException ex)
        {
            await WriteAsync(ExportStateMachine.Released(claimed, kind, step.UnsentBefore), claimedEtag, release, conflicts, ct).ConfigureAwait(false);
            _telemetry.Error(LogEvents.TaskRejected, Tagged(step, ("logGroup", logGroup), ("taskName", export.TaskName), ("from", export.From), ("to", export.To), ("error", ex.Message)));
            _telemetry.Metric(MetricNames.ExportsRejected, 1, MetricUnit.Count);
            throw;
        }

        _telemetry.Info(LogEvents.TaskCreated, Tagged(step, ("logGroup", logGroup), ("taskId", taskId), ("taskName", export.TaskName), ("from", export.From), ("to", export.To), ("attempt", export.Attempt), ("destination", $"s3://{spec.Bucket}/{spec.Prefix}")));
        _telemetry.Metric(MetricNames.ExportsCreated, 1, MetricUnit.Count);

        // On a conflict the next step re-reads and adopts the task by its name.
        var recordedAt = _time.GetUtcNow();
        await WriteAsync(ExportStateMachine.Recorded(claimed, kind, taskId, recordedAt), claimedEtag, kind == ExportKind.Regular ? "record-task" : "record-late-task", conflicts, ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>A COMPLETED task: the checkpoint advanced past a regular window (the rest of a split window promoted), or a late export dropped from the queue.</summary>
    private async Task AdvanceAsync(ExportStep step, Checkpoint checkpoint, string etag, ConflictCount conflicts, CancellationToken ct)
    {
        var advanced = step.Next!;
        var export = step.Subject!;
        var task = step.Task!;
        var logGroup = checkpoint.LogGroup;
        var now = advanced.UpdatedAt;
        if (await WriteAsync(advanced, etag, step.WriteName!, conflicts, ct).ConfigureAwait(false) is null)
        {
            return;
        }

        if (step.Export == ExportKind.Late)
        {
            _telemetry.Info(LogEvents.TaskCompleted, ("logGroup", logGroup), ("logStream", export.LogStream), ("taskId", task.TaskId), ("taskName", export.TaskName), ("from", export.From), ("to", export.To), ("late", true));
            _telemetry.Metric(MetricNames.ExportsCompleted, 1, MetricUnit.Count);
            return;
        }

        if (advanced.InFlight is { } promoted)
        {
            _telemetry.Info(LogEvents.WindowPlanned, ("logGroup", logGroup), ("from", promoted.From), ("to", promoted.To), ("taskName", promoted.TaskName), ("reason", "rest of a split window"), ("windowsLeft", advanced.RemainingWindows.Count));
        }

        // Also marks checkpoints made before markers existed (and any whose marker a crash prevented).
        await _store.MarkExportedAsync(logGroup, now, ct).ConfigureAwait(false);
        _telemetry.Info(LogEvents.TaskCompleted, ("logGroup", logGroup), ("taskId", task.TaskId), ("taskName", export.TaskName), ("from", export.From), ("to", export.To), ("exportLagMs", now.ToUnixTimeMilliseconds() - export.To));
        _telemetry.Metric(MetricNames.ExportsCompleted, 1, MetricUnit.Count);
    }

    /// <summary>
    /// A FAILED or CANCELLED task, as the state machine decided (see <see cref="FailedWindowDecision"/>): its range again,
    /// its two halves in order, or at the floor again and alarmed on. One compare-and-swap; logged once written.
    /// </summary>
    private async Task RetryAsync(ExportStep step, string logGroup, string etag, ConflictCount conflicts, CancellationToken ct)
    {
        if (await WriteAsync(step.Next!, etag, step.WriteName!, conflicts, ct).ConfigureAwait(false) is null)
        {
            return;
        }

        var failed = step.Subject!;
        var task = step.Task!;
        var decision = step.Decision!.Value;
        var late = step.Export == ExportKind.Late;
        var next = ExportStateMachine.Current(step.Next!, step.Export);
        _telemetry.Error(LogEvents.TaskFailed, Tagged(step, ("logGroup", logGroup), ("taskId", task.TaskId), ("taskName", failed.TaskName), ("status", task.Status.ToString()), ("statusMessage", task.StatusMessage), ("from", failed.From), ("to", failed.To), ("nextAttempt", next.Attempt)));
        _telemetry.Metric(MetricNames.ExportsFailed, 1, MetricUnit.Count);
        switch (decision.Action)
        {
            case FailedWindowAction.Split when late:
                _telemetry.Warn(LogEvents.WindowSplit, ("logGroup", logGroup), ("logStream", failed.LogStream), ("reason", $"the same range failed {failed.Attempt} times (export tasks time out after 24 hours: a smaller range holds less data)"), ("from", failed.From), ("to", failed.To), ("failures", failed.Attempt), ("firstHalfTo", decision.Next.To), ("secondHalfFrom", decision.SecondHalf!.Value.From), ("nextTaskName", next.TaskName), ("late", true));
                _telemetry.Metric(MetricNames.ExportWindowsSplit, 1, MetricUnit.Count);
                break;

            case FailedWindowAction.Split:
                _telemetry.Warn(
                    LogEvents.WindowSplit,
                    ("logGroup", logGroup),
                    ("reason", $"the same range failed {failed.Attempt} times (export tasks time out after 24 hours: a smaller range holds less data)"),
                    ("from", failed.From),
                    ("to", failed.To),
                    ("failures", failed.Attempt),
                    ("firstHalfTo", decision.Next.To),
                    ("secondHalfFrom", decision.SecondHalf!.Value.From),
                    ("nextTaskName", next.TaskName),
                    ("windowsLeft", step.Next!.RemainingWindows.Count));
                _telemetry.Metric(MetricNames.ExportWindowsSplit, 1, MetricUnit.Count);
                break;

            case FailedWindowAction.RetryAtFloor when late:
                _telemetry.Error(LogEvents.WindowFloorFailed, ("logGroup", logGroup), ("logStream", failed.LogStream), ("reason", "a late range at the smallest split size keeps failing: its size is not the cause (bucket or key policy, a deleted log group, a service problem)"), ("from", failed.From), ("to", failed.To), ("failures", failed.Attempt), ("minSplitWindowSeconds", (long)_policy.MinSplitWindow.TotalSeconds), ("statusMessage", task.StatusMessage), ("action", "exported again as is, taking turns with the regular windows"), ("late", true));
                _telemetry.Metric(MetricNames.ExportWindowFloorFailures, 1, MetricUnit.Count);
                break;

            case FailedWindowAction.RetryAtFloor:
                _telemetry.Error(
                    LogEvents.WindowFloorFailed,
                    ("logGroup", logGroup),
                    ("reason", "a window at the smallest split size keeps failing: its size is not the cause (bucket or key policy, a deleted log group, a service problem)"),
                    ("from", failed.From),
                    ("to", failed.To),
                    ("failures", failed.Attempt),
                    ("minSplitWindowSeconds", (long)_policy.MinSplitWindow.TotalSeconds),
                    ("statusMessage", task.StatusMessage),
                    ("action", "exported again as is; the checkpoint does not move past it"));
                _telemetry.Metric(MetricNames.ExportWindowFloorFailures, 1, MetricUnit.Count);
                break;
        }
    }

    /// <summary>A task event's fields as logged for the step's export: a late export's carry its stream (after the log group) and <c>late: true</c> (last).</summary>
    private static Field[] Tagged(ExportStep step, params ReadOnlySpan<Field> fields) => step.Export == ExportKind.Regular
        ? fields.ToArray()
        : [fields[0], new Field("logStream", step.Subject!.LogStream), .. fields[1..], new Field("late", true)];

    private async Task<long> ResolveStartAsync(ExportWork work, CancellationToken ct)
    {
        switch (_policy.StartMode)
        {
            case StartMode.Fixed:
                return _policy.FixedStart!.Value.ToUnixTimeMilliseconds();
            case StartMode.LogGroupCreation:
                return await _tasks.GetLogGroupCreationTimeAsync(work.LogGroup, ct).ConfigureAwait(false)
                    ?? throw new ExportRejectedException($"ResourceNotFoundException: log group '{work.LogGroup}' does not exist, so its creation time cannot be the export start", permanent: true);
            default:
                return work.EarliestStart(_policy.SettleDelay + _policy.ClockSkewMargin);
        }
    }

    /// <summary>
    /// A fresh data signal's events at or before what is covered (exported, or in the window in flight, whose task may
    /// already have read the data) arrived later than the settle delay, unless the signal proves they were ingested in
    /// time. Events before the checkpoint's start are no export's: they are not judged here but exported by
    /// <see cref="ExportStateMachine.EarlierStart"/> (or, before a fixed EXPORT_START, excluded by configuration and said so).
    /// </summary>
    /// <remarks>
    /// In time: the events were ingested (by <see cref="DataRange.IngestedBy"/> + skew, on CloudWatch's clock)
    /// before the task of the window holding First was created, so they are in that export and in every later
    /// one (later windows are planned later). That window was planned at a known instant when it is the window
    /// in flight, the last completed one or a queued range before the start; otherwise no earlier than First + the
    /// smallest settle lag any window was planned under (<see cref="Checkpoint.SettledLagFloorMillis"/>), because every
    /// window ends at least its settle delay + skew before it is planned. A task is created after its window is
    /// planned; the export function's clock is within skew of CloudWatch's. Such a signal is one seen before (an
    /// SQS redelivery, a DLQ replay, a concurrent run), not late data, and re-exporting it would only duplicate.
    /// </remarks>
    private List<LateRange> FindLateRanges(ExportWork work, Checkpoint checkpoint)
    {
        var covered = Math.Max(checkpoint.ExportedThrough, checkpoint.InFlight?.To ?? long.MinValue);
        var late = new List<LateRange>();
        var skew = (long)_policy.ClockSkewMargin.TotalMilliseconds;
        foreach (var range in work.DataRanges.Where(r => r.First <= covered).Distinct())
        {
            if (range.First < checkpoint.StartTime && _policy.StartMode == StartMode.Fixed)
            {
                _telemetry.Info(
                    LogEvents.SignalBeforeStart,
                    ("logGroup", work.LogGroup),
                    ("logStream", range.LogStream),
                    ("reason", "events before the fixed EXPORT_START are excluded by configuration"),
                    ("firstEventTime", range.First),
                    ("lastEventTime", range.Last),
                    ("startTime", checkpoint.StartTime));
            }

            // Only the part from the start on can be late: what lies before it is the earlier-start rule's. When nothing
            // from the start on is covered yet (exportedThrough = start - 1, nothing in flight), nothing here is late.
            var first = Math.Max(range.First, checkpoint.StartTime);
            if (first > range.Last || first > covered)
            {
                continue;
            }

            if (range.IngestedBy + (2 * skew) <= _machine.WindowPlannedNoEarlierThan(checkpoint, first))
            {
                _telemetry.Info(
                    LogEvents.SignalCovered,
                    ("logGroup", work.LogGroup),
                    ("logStream", range.LogStream),
                    ("reason", "events ingested within the settle delay, so the export that covered their range holds them (a redelivered or replayed signal)"),
                    ("firstEventTime", first),
                    ("ingestedBy", range.IngestedBy),
                    ("coveredThrough", covered));
                continue;
            }

            var key = range.LogStream is null ? null : Checkpoint.LateKey(range.LogStream, range.First, range.Last, range.IngestedBy);
            late.Add(new LateRange(range.LogStream, first, Math.Min(covered, range.Last), range.IngestedBy, key));
        }

        return late;
    }

    private void ReportLate(string logGroup, Checkpoint checkpoint, LateRange range, string action)
    {
        _telemetry.Warn(
            LogEvents.EventsLate,
            ("logGroup", logGroup),
            ("logStream", range.LogStream),
            ("reason", "events arrived for a range that is already exported or being exported (later than the settle delay)"),
            ("firstEventTime", range.From),
            ("ingestedBy", range.IngestedBy),
            ("exportedThrough", checkpoint.ExportedThrough),
            ("coveredThrough", Math.Max(checkpoint.ExportedThrough, checkpoint.InFlight?.To ?? long.MinValue)),
            ("lateRangeEnd", range.To),
            ("action", action));

        // Under LATE_EVENTS=repair a range its window's check will find and repair is routine (flow logs arrive late by
        // design): counted apart, so the late-events alarm only sees late events that nothing brings into the exports
        // (report, reexport, or windows already final). A shortfall a check cannot repair has its own alarm.
        var repairedByCheck = _policy.LateEvents == LateEventsMode.Repair && _policy.Verification is { Repair: true } && action != ExportStateMachine.NotCheckedAgain;
        if (repairedByCheck)
        {
            _telemetry.Metric(MetricNames.LateSignalsRechecked, 1, MetricUnit.Count, ("LogGroup", logGroup));
        }
        else
        {
            _telemetry.Metric(MetricNames.LateSignals, 1, MetricUnit.Count, ("LogGroup", logGroup));
        }
    }

    /// <summary>
    /// Writes with compare-and-swap (If-Match on the ETag read). Subtle but sound (code review, issue 12): this relies on
    /// every transition changing the bytes, so that two different states never share an ETag; each one sets
    /// <see cref="Checkpoint.UpdatedAt"/> to the step's instant and changes at least one other field. Every write also keeps <see cref="Checkpoint.SettledLagFloorMillis"/> at or below
    /// the settle lag in force, so every window it plans is bounded by it.
    /// </summary>
    private async Task<string?> WriteAsync(Checkpoint checkpoint, string? etag, string step, ConflictCount conflicts, CancellationToken ct)
    {
        var lag = _runPolicy.PlanningLagMillis;
        checkpoint = checkpoint with
        {
            SettledLagFloorMillis = Math.Min(checkpoint.SettledLagFloorMillis ?? lag, lag),
            DeliveryLags = _policy.LearnSettleDelay ? Settling.SettleLearner.Merge(checkpoint.DeliveryLags, _runLags) : checkpoint.DeliveryLags,
        };
        var written = await _store.TryWriteAsync(checkpoint, etag, ct).ConfigureAwait(false);
        if (written is null)
        {
            conflicts.Value++;
            _telemetry.Info(LogEvents.CheckpointConflict, ("logGroup", checkpoint.LogGroup), ("step", step), ("reason", "another writer changed the checkpoint; re-reading"));
            _telemetry.Metric(MetricNames.CheckpointConflicts, 1, MetricUnit.Count);
        }

        return written;
    }

    /// <summary>Compare-and-swap conflicts within one run: tells contention from a merely long run.</summary>
    private sealed class ConflictCount
    {
        public int Value { get; set; }
    }
}
