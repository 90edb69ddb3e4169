using FlowLogEvents.Verification;
namespace FlowLogEvents.Exports.StateMachine;

/// <summary>
/// The pure decision of the export state machine over one log group's checkpoint: given the checkpoint as read, the
/// work's target, the instant the step runs at (and, once asked for, what was found out about the export's task), it
/// returns the one <see cref="ExportStep"/> to take. No I/O and no clock: <see cref="ExportCoordinator"/> performs the
/// step and decides again.
/// </summary>
/// <remarks>
/// Regular windows (<see cref="Checkpoint.InFlight"/>) and queued late exports (the first of
/// <see cref="Checkpoint.LateExports"/>) share one task lifecycle: adopt a task by its deterministic name, else claim and
/// create it, then follow it to COMPLETED (advance, or drop from the queue) or FAILED/CANCELLED (a new attempt, the two
/// halves, or at the floor a new attempt, as <see cref="FailedWindowDecision"/> decides). <see cref="SlotTurn"/> says whose
/// turn it is. Only where the two kinds differ (where the export is kept, where its task writes, its name) is the kind asked.
/// </remarks>
public sealed class ExportStateMachine(ExportPolicy policy)
{
    private const string ReportedOnly = "reported only: these events are not in the exports (LATE_EVENTS=report)";
    private const string NoStream = "reported only: the signal names no log stream to re-export, these events are not in the exports";
    private const string Queued = "re-export of the stream's late range queued (LATE_EVENTS=reexport)";
    private const string QueuedBefore = "not queued again: this signal's re-export was queued before (a redelivered or replayed signal)";
    private const string CoveredByQueued = "not queued again: a queued re-export of this stream, not started yet, covers the range";

    /// <summary>The action of a late range under verification whose windows are all final: nothing brings these events into the exports.</summary>
    public const string NotCheckedAgain = "not checked again: its windows are final; these events are not in the exports";

    /// <summary>The step to take now. <paramref name="lookup"/>: what the shell found when a previous decision over this same state asked (describe or search).</summary>
    public ExportStep Decide(Checkpoint checkpoint, long target, DateTimeOffset now, TaskLookup? lookup = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var window = checkpoint.InFlight is null ? WindowPlanner.Plan(checkpoint.ExportedThrough, target, now.ToUnixTimeMilliseconds(), policy) : null;
        var firstLate = checkpoint.LateExports.Count > 0 ? checkpoint.LateExports[0] : null;
        var kind = SlotTurn.Next(checkpoint.InFlight, firstLate, window is not null, checkpoint.LastTaskEnded);
        if (kind == ExportKind.Regular && checkpoint.InFlight is null)
        {
            if (checkpoint.ExportedThrough >= target)
            {
                return new ExportStep { Kind = ExportStepKind.Done, Reason = "exported through the signalled range" };
            }

            if (window is not { } w)
            {
                return Wait(ExportKind.Regular, null, WaitReason.NotSettled, "data not settled yet");
            }

            var claimed = Planned(ExportKind.Regular, null, checkpoint.LogGroup, w, 1, now) with { ClaimedAt = now, Unsent = false };
            return new ExportStep
            {
                Kind = ExportStepKind.PlanWindow,
                Export = ExportKind.Regular,
                Next = With(checkpoint, ExportKind.Regular, claimed, now),
                DestinationPrefix = Destination(ExportKind.Regular, checkpoint.LogGroup, claimed),
                UnsentBefore = true,
                WriteName = "plan",
            };
        }

        var export = Current(checkpoint, kind);
        return export.TaskId is { } taskId
            ? Follow(checkpoint, kind, export, taskId, now, lookup)
            : Start(checkpoint, kind, export, now, lookup);
    }

    /// <summary>The export of <paramref name="kind"/> in <paramref name="checkpoint"/>: the window in flight, or the first queued late export.</summary>
    public static InFlightExport Current(Checkpoint checkpoint, ExportKind kind)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return kind == ExportKind.Regular
            ? checkpoint.InFlight ?? throw new InvalidOperationException($"no window in flight in the checkpoint of '{checkpoint.LogGroup}'")
            : checkpoint.LateExports.Count > 0 ? checkpoint.LateExports[0] : throw new InvalidOperationException($"no late export queued in the checkpoint of '{checkpoint.LogGroup}'");
    }

    /// <summary>
    /// The claimed checkpoint with the claim released, after the service answered that it created nothing: unclaimed, and
    /// unsent again when no request had been sent for the name before the claim (<paramref name="unsentBefore"/>).
    /// </summary>
    public static Checkpoint Released(Checkpoint claimed, ExportKind kind, bool unsentBefore)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return With(claimed, kind, Current(claimed, kind) with { ClaimedAt = null, Unsent = unsentBefore }, claimed.UpdatedAt);
    }

    /// <summary>The claimed checkpoint with the created task's id recorded at <paramref name="recordedAt"/>.</summary>
    public static Checkpoint Recorded(Checkpoint claimed, ExportKind kind, string taskId, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return With(claimed, kind, Current(claimed, kind) with { TaskId = taskId, TaskRecordedAt = recordedAt }, recordedAt);
    }

    /// <summary>Where the task of an export writes: the regular prefix, or the late prefix for a stream's re-export (a range before the start has no stream).</summary>
    public string Destination(ExportKind kind, string logGroup, InFlightExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return kind == ExportKind.Late && export.LogStream is not null ? policy.LateDestinationPrefix(logGroup) : policy.DestinationPrefix(logGroup);
    }

    /// <summary>The checkpoint with <paramref name="export"/> as the export of <paramref name="kind"/>, written at <paramref name="now"/>.</summary>
    public static Checkpoint With(Checkpoint checkpoint, ExportKind kind, InFlightExport export, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return kind == ExportKind.Regular
            ? checkpoint with { InFlight = export, UpdatedAt = now }
            : checkpoint with { LateExports = new([export, .. checkpoint.LateExports.Skip(1)]), UpdatedAt = now };
    }

    /// <summary>The earliest instant (export function's clock) the window holding <paramref name="eventTime"/> can have been planned at.</summary>
    public long WindowPlannedNoEarlierThan(Checkpoint checkpoint, long eventTime)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.InFlight is { LogStream: null } inFlight && inFlight.From <= eventTime && eventTime <= inFlight.To)
        {
            return inFlight.PlannedAt.ToUnixTimeMilliseconds();
        }

        if (checkpoint.LastCompleted is { PlannedAt: { } planned } last && last.From <= eventTime && eventTime <= last.To)
        {
            return planned.ToUnixTimeMilliseconds();
        }

        if (checkpoint.LateExports.FirstOrDefault(l => l.LogStream is null && l.From <= eventTime && eventTime <= l.To) is { } before)
        {
            return before.PlannedAt.ToUnixTimeMilliseconds();
        }

        return eventTime + (checkpoint.SettledLagFloorMillis ?? policy.SettledLagMillis);
    }

    /// <summary>
    /// What becomes of each late range (the action its log line states), and the checkpoint with the new re-exports
    /// queued (null when none: report mode, or every range already queued). A range whose signal was queued before is
    /// not queued again; nor is one that a queued re-export of its stream covers whose task is not claimed yet (it is
    /// created after now, so it reads these events too). Anything else is queued, with the signal's ingestion bound
    /// in its task name, so a second delivery of one range never adopts the first one's task.
    /// </summary>
    public (Checkpoint? Queued, List<string> Actions) QueueLate(Checkpoint checkpoint, IReadOnlyList<LateRange> late, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(late);
        var actions = new List<string>(late.Count);
        if (policy.LateEvents != LateEventsMode.Reexport && policy.Verification is { } verification)
        {
            return Recheck(checkpoint, late, now, verification);
        }

        if (policy.LateEvents != LateEventsMode.Reexport)
        {
            actions.AddRange(late.Select(_ => ReportedOnly));
            return (null, actions);
        }

        var seen = new HashSet<string>(checkpoint.LateSeen, StringComparer.Ordinal);
        var keys = new List<string>();
        var exports = new List<InFlightExport>(checkpoint.LateExports);
        foreach (var range in late)
        {
            if (range.LogStream is null || range.Key is null)
            {
                actions.Add(NoStream);
                continue;
            }

            if (!seen.Add(range.Key))
            {
                actions.Add(QueuedBefore);
                continue;
            }

            keys.Add(range.Key);
            if (exports.Any(e => e.LogStream == range.LogStream && e.TaskId is null && e.ClaimedAt is null && e.From <= range.From && range.To <= e.To))
            {
                actions.Add(CoveredByQueued);
                continue;
            }

            exports.Add(new InFlightExport
            {
                LogStream = range.LogStream,
                TaskName = policy.LateTaskName(checkpoint.LogGroup, range.LogStream, range.From, range.To, range.IngestedBy, 1),
                From = range.From,
                To = range.To,
                Attempt = 1,
                PlannedAt = now,
                Unsent = true,
                IngestedBy = range.IngestedBy,
            });
            actions.Add(Queued);
        }

        if (keys.Count == 0)
        {
            return (null, actions);
        }

        return (checkpoint with
        {
            LateExports = new(exports),
            LateSeen = new(checkpoint.LateSeen.Concat(keys).TakeLast(Checkpoint.MaxLateSeen)),
            UpdatedAt = now,
        }, actions);
    }

    /// <summary>
    /// Late ranges under verification: every window awaiting checks that a range overlaps is checked again soon (the
    /// check finds the late events and, under LATE_EVENTS=repair, writes exactly those). A range in the window in flight
    /// is verified once that window is exported; a range whose windows are all final is not looked at again.
    /// </summary>
    private static (Checkpoint? Marked, List<string> Actions) Recheck(Checkpoint checkpoint, IReadOnlyList<LateRange> late, DateTimeOffset now, VerificationPolicy verification)
    {
        var actions = new List<string>(late.Count);
        Checkpoint? marked = null;
        foreach (var range in late)
        {
            var (next, windows) = VerificationSchedule.Recheck(marked ?? checkpoint, range.From, range.To, now, verification);
            marked = next ?? marked;
            actions.Add(
                windows > 0 ? $"its window is checked again against CloudWatch Logs within {(long)verification.FirstAfter.TotalSeconds} s ({windows} window(s); LATE_EVENTS={(verification.Repair ? "repair" : "report")})"
                : range.To > checkpoint.ExportedThrough ? "the window in flight is verified once exported"
                : NotCheckedAgain);
        }

        return (marked, actions);
    }

    /// <summary>
    /// The checkpoint with its start moved back to the earliest event this work can stand for (as the first signal's
    /// start is resolved), or null when that is not before the start (or EXPORT_START is a fixed instant). No export
    /// covers a range before the start. A continuation counts too: after a start-over it carries a range the old
    /// checkpoint had not exported yet, which no data signal asks for again.
    /// While nothing is exported or in flight, the start and exportedThrough move back together and the first window
    /// starts there; otherwise the range [earliest, start - 1] is queued for the whole log group into the regular
    /// prefix, under a regular window's deterministic name. Either way one compare-and-swap moves the start, so the
    /// range is exported exactly once (a second signal finds it inside the start) and a crash leaves it recorded.
    /// </summary>
    public Checkpoint? EarlierStart(ExportWork work, Checkpoint checkpoint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (policy.StartMode == StartMode.Fixed)
        {
            return null;
        }

        // As ResolveStartAsync resolves the first signal's start; at the log group's creation, by events only.
        var earliest = policy.StartMode == StartMode.FirstSignal ? work.EarliestStart(policy.SettleDelay + policy.ClockSkewMargin) : work.Merged.FirstEventTime;
        if (earliest >= checkpoint.StartTime)
        {
            return null;
        }

        if (checkpoint.InFlight is null && checkpoint.ExportedThrough == checkpoint.StartTime - 1)
        {
            return checkpoint with { StartTime = earliest, ExportedThrough = earliest - 1, UpdatedAt = now };
        }

        var to = checkpoint.StartTime - 1;
        var before = new InFlightExport
        {
            TaskName = policy.TaskName(checkpoint.LogGroup, earliest, to, 1),
            From = earliest,
            To = to,
            Attempt = 1,
            PlannedAt = now,
            Unsent = true,
        };
        return checkpoint with { StartTime = earliest, LateExports = new([.. checkpoint.LateExports, before]), UpdatedAt = now };
    }

    /// <summary>An export with no task id yet: adopt the task found by name, wait for another runner's claim, or claim it.</summary>
    private ExportStep Start(Checkpoint checkpoint, ExportKind kind, InFlightExport export, DateTimeOffset now, TaskLookup? lookup)
    {
        var logGroup = checkpoint.LogGroup;
        var destination = Destination(kind, logGroup, export);
        if (lookup is null && !export.Unsent)
        {
            // Only when a CreateExportTask may have been sent for the name: an unsent name cannot exist.
            return new ExportStep { Kind = ExportStepKind.SearchTask, Export = kind, Subject = export, DestinationPrefix = destination };
        }

        var found = lookup?.Tasks ?? [];
        var ours = found.FirstOrDefault(t => t.ExportsTo(policy.ExportBucket, destination));
        if (ours is not null)
        {
            return new ExportStep
            {
                Kind = ExportStepKind.AdoptTask,
                Export = kind,
                Subject = export,
                Task = ours,
                Next = With(checkpoint, kind, export with { TaskId = ours.TaskId, TaskRecordedAt = now }, now),
                WriteName = Late(kind, "adopt"),
            };
        }

        if (export.ClaimedAt is { } claimedAt && now - claimedAt < policy.ClaimLease)
        {
            var reason = kind == ExportKind.Regular
                ? "another runner claimed this window and may be creating its task"
                : "another runner claimed this late re-export and may be creating its task";
            return Wait(kind, export, WaitReason.ClaimedByAnother, reason) with { Since = claimedAt };
        }

        // Renamed (never sent under its new name) when tasks of another destination hold its name.
        var toClaim = found.Count == 0
            ? export
            : export with { TaskName = ExportPolicy.FreshTaskName(export.TaskName, Name(kind, logGroup, export, export.From, export.To, export.Attempt), found[0].TaskId), Unsent = true };
        return new ExportStep
        {
            Kind = ExportStepKind.ClaimTask,
            Export = kind,
            Subject = export,
            Next = With(checkpoint, kind, toClaim with { ClaimedAt = now, Unsent = false }, now),
            DestinationPrefix = destination,
            Foreign = found,
            UnsentBefore = toClaim.Unsent,
            WriteName = Late(kind, "claim"),
        };
    }

    /// <summary>An export with a recorded task: describe it, then wait for it, advance past it, or retry it.</summary>
    private ExportStep Follow(Checkpoint checkpoint, ExportKind kind, InFlightExport export, string taskId, DateTimeOffset now, TaskLookup? lookup)
    {
        if (lookup is null)
        {
            return new ExportStep { Kind = ExportStepKind.DescribeTask, Export = kind, Subject = export };
        }

        if (lookup.Tasks.Count == 0)
        {
            // AWS promises no read-after-create: an id it does not know is waited for within the grace, then taken for lost.
            if ((export.TaskRecordedAt ?? export.ClaimedAt) is { } recordedAt && now - recordedAt < ExportPolicy.UnknownTaskGrace)
            {
                return Wait(kind, export, WaitReason.TaskNotVisibleYet, "export task not visible in DescribeExportTasks yet") with { Since = recordedAt };
            }

            var what = kind == ExportKind.Regular ? "export task" : "late re-export task";
            return new ExportStep
            {
                Kind = ExportStepKind.SetAside,
                Export = kind,
                Subject = export,
                Reason = $"{what} {taskId} recorded in the checkpoint of '{checkpoint.LogGroup}' is unknown to CloudWatch Logs",
            };
        }

        var task = lookup.Tasks[0];
        switch (task.Status)
        {
            case ExportTaskStatus.Pending or ExportTaskStatus.Running or ExportTaskStatus.PendingCancel:
                var reason = kind == ExportKind.Regular ? "export task still active" : "late re-export task still active";
                return Wait(kind, export, WaitReason.TaskActive, reason) with { Task = task };

            case ExportTaskStatus.Completed:
                return new ExportStep
                {
                    Kind = ExportStepKind.Advance,
                    Export = kind,
                    Subject = export,
                    Task = task,
                    Next = Completed(checkpoint, kind, export, task, now),
                    WriteName = Late(kind, "complete"),
                };

            default:
                return Failed(checkpoint, kind, export, task, now);
        }
    }

    /// <summary>
    /// A COMPLETED task. A regular window moves the checkpoint to its end, and the rest of a split window comes next, in
    /// order, in the same write (recorded before its task is created, unclaimed); a late export leaves the queue.
    /// </summary>
    private Checkpoint Completed(Checkpoint checkpoint, ExportKind kind, InFlightExport export, ExportTaskInfo task, DateTimeOffset now)
    {
        if (kind == ExportKind.Late)
        {
            var dropped = checkpoint with { LateExports = new(checkpoint.LateExports.Skip(1)), LastTaskEnded = ExportKind.Late, UpdatedAt = now };

            // A range before the start lands in the regular prefix like a window and is verified like one; a late stream
            // range's re-export (LATE_EVENTS=reexport) copies on-time records by design and is not.
            return export.LogStream is null && policy.Verification is { } beforeStart
                ? VerificationSchedule.Enqueue(dropped, export.From, export.To, task.TaskId, now, beforeStart, beforeStart: true)
                : dropped;
        }

        var next = checkpoint.RemainingWindows.Count > 0 ? checkpoint.RemainingWindows[0] : (ExportWindow?)null;
        var advanced = checkpoint with
        {
            ExportedThrough = export.To,
            InFlight = next is { } w ? Planned(ExportKind.Regular, null, checkpoint.LogGroup, w, 1, now) : null,
            RemainingWindows = new(checkpoint.RemainingWindows.Skip(1)),
            LastCompleted = new CompletedExport(task.TaskId, export.TaskName, export.From, export.To, now, export.PlannedAt),
            ExportsCompleted = checkpoint.ExportsCompleted + 1,
            LastTaskEnded = ExportKind.Regular,
            UpdatedAt = now,
        };

        // Queued in the same write that records the task COMPLETED: a crash cannot lose the window's checks.
        return policy.Verification is { } verification
            ? VerificationSchedule.Enqueue(advanced, export.From, export.To, task.TaskId, now, verification, settledLagMillis: policy.SettledLagMillis)
            : advanced;
    }

    /// <summary>
    /// A FAILED or CANCELLED task: its range again as the next attempt, or after repeated failures its two halves in order
    /// (a regular window's second half remembered in <see cref="Checkpoint.RemainingWindows"/>, a late range's queued right
    /// after the first), or at the floor again and alarmed on. One write; every next task has a deterministic name.
    /// </summary>
    private ExportStep Failed(Checkpoint checkpoint, ExportKind kind, InFlightExport export, ExportTaskInfo task, DateTimeOffset now)
    {
        var logGroup = checkpoint.LogGroup;
        var decision = FailedWindowDecision.Decide(new ExportWindow(export.From, export.To), export.Attempt, policy);
        var split = decision.Action == FailedWindowAction.Split;
        var next = Planned(kind, export, logGroup, decision.Next, split ? 1 : export.Attempt + 1, now);
        Checkpoint retry;
        if (kind == ExportKind.Regular)
        {
            retry = decision.SecondHalf is { } second
                ? checkpoint with { InFlight = next, RemainingWindows = new([second, .. checkpoint.RemainingWindows]), LastTaskEnded = ExportKind.Regular, UpdatedAt = now }
                : checkpoint with { InFlight = next, LastTaskEnded = ExportKind.Regular, UpdatedAt = now };
        }
        else
        {
            InFlightExport[] replacement = decision.SecondHalf is { } second ? [next, Planned(kind, export, logGroup, second, 1, now)] : [next];
            retry = checkpoint with { LateExports = new([.. replacement, .. checkpoint.LateExports.Skip(1)]), LastTaskEnded = ExportKind.Late, UpdatedAt = now };
        }

        return new ExportStep
        {
            Kind = split ? ExportStepKind.SplitWindow : ExportStepKind.RetryNewAttempt,
            Export = kind,
            Subject = export,
            Task = task,
            Next = retry,
            Decision = decision,
            WriteName = Late(kind, split ? "split" : "retry"),
        };
    }

    /// <summary>
    /// An export recorded before its task is created, unclaimed and unsent: attempt <paramref name="attempt"/> of
    /// <paramref name="window"/> under its deterministic name, keeping a late export's stream and ingestion bound.
    /// </summary>
    private InFlightExport Planned(ExportKind kind, InFlightExport? of, string logGroup, ExportWindow window, int attempt, DateTimeOffset now) => new()
    {
        TaskName = Name(kind, logGroup, of, window.From, window.To, attempt),
        From = window.From,
        To = window.To,
        Attempt = attempt,
        PlannedAt = now,
        Unsent = true,
        LogStream = of?.LogStream,
        IngestedBy = of?.IngestedBy,
    };

    /// <summary>The deterministic name of an export's task: a regular window's (also a range before the start), or a late range's re-export.</summary>
    private string Name(ExportKind kind, string logGroup, InFlightExport? export, long from, long to, int attempt) =>
        kind == ExportKind.Late && export?.LogStream is { } stream
            ? policy.LateTaskName(logGroup, stream, from, to, export.IngestedBy, attempt)
            : policy.TaskName(logGroup, from, to, attempt);

    private static string Late(ExportKind kind, string write) => kind == ExportKind.Regular ? write : $"{write}-late";

    private static ExportStep Wait(ExportKind kind, InFlightExport? export, WaitReason reason, string text) =>
        new() { Kind = ExportStepKind.Wait, Export = kind, Subject = export, WaitReason = reason, Reason = text };
}
