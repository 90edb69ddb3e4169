using System.Diagnostics;
using System.Globalization;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Drives a started run until it is drained: polls the checkpoints and the queues, reports progress, replays the DLQ
/// where the scenario asks for it, and stops at the first of: every log group done (and the queue empty where that
/// matters), a failure (traffic, start-over, event source mapping, IAM, simulated time past real time, a healthy log
/// group's work in the DLQ), nothing left to run, or the drain timeout.
/// </summary>
internal static class ScenarioDrain
{
    /// <summary>How often a run replays its DLQ (a signal that dies again returns there).</summary>
    private const int MaxReplayRounds = 3;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<DrainOutcome> DriveUntilDrainedAsync(RunningScenario run, Stopwatch realClock, Action<ScenarioProgress>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(realClock);
        var (setup, cloud, processes, counters) = (run.Setup, run.Cloud, run.Processes, run.Counters);
        var (options, plan, clock, deadline, poisoned, reexport) = (setup.Options, setup.Plan, setup.Clock, setup.Deadline, setup.Poisoned, setup.Reexport);
        var failureQueueUrl = run.FailureQueueUrl;
        string? failure = null;
        var progress = Array.Empty<GroupProgress>() as IReadOnlyList<GroupProgress>;
        var (queueDepth, dlqDepth) = (0, 0);
        var phase = "traffic";
        var (replayRounds, deadLettersReplayed) = (0, 0);
        var replayedIds = new List<string>();
        var idlePolls = 0;
        while (true)
        {
            if (ct.IsCancellationRequested)
            {
                failure = "cancelled";
                break;
            }

            var now = clock.GetUtcNow();
            if (now > DateTimeOffset.UtcNow)
            {
                failure = $"simulated time {now:O} passed real time {DateTimeOffset.UtcNow:O}; moto would reject the events";
                break;
            }

            if (run.Traffic.IsFaulted)
            {
                failure = $"traffic failed: {run.Traffic.Exception!.GetBaseException().Message}";
                break;
            }

            if (run.StartingOver.IsFaulted)
            {
                failure = $"start-over failed: {run.StartingOver.Exception!.GetBaseException().Message}";
                break;
            }

            if (run.EventSourceMapping.IsFaulted)
            {
                failure = $"event source mapping failed: {run.EventSourceMapping.Exception!.GetBaseException().Message}";
                break;
            }

            if (processes is not null && processes.Authorizer.DeniedCount > 0)
            {
                // A request the template's roles do not allow fails in AWS on every attempt: the run cannot pass.
                failure = $"IAM denied {processes.Authorizer.DeniedCount} request(s) of the functions (roles from serverless.template): {processes.Authorizer.Denials[0]}";
                break;
            }

            progress = await run.GroupProgressAsync(ct).ConfigureAwait(false);
            queueDepth = await cloud.DepthAsync(cloud.SignalQueueUrl, ct).ConfigureAwait(false);
            dlqDepth = await cloud.DepthAsync(cloud.DeadLetterQueueUrl, ct).ConfigureAwait(false);
            var failureDepth = failureQueueUrl is null ? 0 : await cloud.DepthAsync(failureQueueUrl, ct).ConfigureAwait(false);
            phase = !run.Traffic.IsCompleted ? "traffic" : replayRounds > 0 ? "draining DLQ replay" : "draining exports";
            onProgress?.Invoke(new ScenarioProgress(phase, now, realClock.Elapsed, run.Written, plan.Batches.Count, counters, cloud.Front.Stats, queueDepth, dlqDepth, progress));

            // Late records carry old timestamps: under LATE_EVENTS=reexport their signals may still be on the queue
            // while every checkpoint already looks done, so that run also waits for an empty queue. The queue itself
            // need not empty otherwise: a log group whose windows await their checks keeps a continuation on it until
            // the last one is final. So a replay of the dead letters waits until the queue holds no more than those
            // continuations (failures in flight have landed in the DLQ), and a run that replayed them waits until the
            // export function processed every replayed message, unless one died into the DLQ again and no round is left.
            var waitForQueue = reexport;
            var quiet = queueDepth <= progress.Count(g => g.AwaitingChecks > 0);
            var replayPending = replayedIds.Exists(id => !run.DeletedMessages.ContainsKey(id)) && !(dlqDepth > 0 && replayRounds >= MaxReplayRounds);

            // A poisoned log group's work may wait in the DLQ while nothing else moves: the operator replays it once the
            // cause is gone (the fault has healed), as after a DLQ alarm. Healthy log groups' work must never be there.
            var poisonHealed = poisoned is { } p && now >= p.Until;
            if (poisoned is { } healthyCheck && dlqDepth > 0 && await HealthyWorkInDeadLettersAsync(cloud, healthyCheck.LogGroup, ct).ConfigureAwait(false) is { } hostage)
            {
                failure = $"a healthy log group's work reached the DLQ while another log group was poisoned: {hostage}";
                break;
            }

            if (poisonHealed && run.Traffic.IsCompletedSuccessfully && quiet && !replayPending && dlqDepth > 0 && options.ReplayDeadLetters && replayRounds < MaxReplayRounds && !progress.All(g => g.Done))
            {
                replayRounds++;
                var healed = await DeadLetterReplay.RunAsync(cloud.Sqs, cloud.DeadLetterQueueUrl, cloud.SignalQueueUrl, ct).ConfigureAwait(false);
                deadLettersReplayed += healed.Replayed;
                replayedIds.AddRange(healed.SentMessageIds);
                continue;
            }

            var replayDue = options.ReplayDeadLetters && dlqDepth > 0 && replayRounds < MaxReplayRounds;
            if (run.Traffic.IsCompletedSuccessfully && progress.All(g => g.Done) && (!waitForQueue || queueDepth == 0) && !replayPending && (!replayDue || quiet))
            {
                if (replayDue)
                {
                    replayRounds++;
                    var replay = await DeadLetterReplay.RunAsync(cloud.Sqs, cloud.DeadLetterQueueUrl, cloud.SignalQueueUrl, ct).ConfigureAwait(false);
                    deadLettersReplayed += replay.Replayed;
                    replayedIds.AddRange(replay.SentMessageIds);
                    if (replay.Replayed > 0)
                    {
                        continue;
                    }
                }

                break;
            }

            // Nothing is left to run: no traffic, no signal or continuation queued or in flight, yet a log group is
            // behind (its work sits in the DLQ, for example after Lambda stopped a recursive loop). Waiting longer
            // cannot change the outcome.
            idlePolls = run.Traffic.IsCompletedSuccessfully && queueDepth == 0 && failureDepth == 0 && !progress.All(g => g.Done) ? idlePolls + 1 : 0;
            if (idlePolls >= 8 && !(options.ReplayDeadLetters && dlqDepth > 0))
            {
                var behind = progress.Where(g => !g.Done).Select(g => g.LogGroup);
                failure = $"nothing left to run (signal queue empty, {dlqDepth} message(s) in the DLQ) while {string.Join(", ", behind)} is behind";
                break;
            }

            if (now > deadline || (run.Traffic.IsCompleted && now > plan.LastDelivery + options.EffectiveDrainTimeout))
            {
                var behind = progress.Where(g => !g.Done)
                    .Select(g => $"{g.LogGroup} exported through {(g.ExportedThrough is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("O", CultureInfo.InvariantCulture) : "nothing")}, needs {DateTimeOffset.FromUnixTimeMilliseconds(g.LastTimestamp):O}{(g.LateQueued > 0 ? $", {g.LateQueued} late export(s) queued" : "")}{(g.Unverified > 0 ? $", {g.Unverified} window(s) awaiting a passed check" : "")}");
                failure = $"timed out {options.EffectiveDrainTimeout.TotalMinutes:0} simulated minutes after the last delivery: {string.Join("; ", behind)}";
                break;
            }

            await Task.Delay(PollInterval, CancellationToken.None).ConfigureAwait(false);
        }

        return new DrainOutcome(failure, progress, queueDepth, dlqDepth, deadLettersReplayed);
    }

    /// <summary>The log group of a DLQ message that is not <paramref name="poisoned"/>'s (looked at, left in place), or null.</summary>
    private static async Task<string?> HealthyWorkInDeadLettersAsync(LocalCloudResources cloud, string poisoned, CancellationToken ct)
    {
        var received = await cloud.Sqs.ReceiveMessageAsync(
            new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = cloud.DeadLetterQueueUrl.ToString(), MaxNumberOfMessages = 10, VisibilityTimeout = 0 },
            ct).ConfigureAwait(false);
        foreach (var message in received.Messages ?? [])
        {
            try
            {
                if (FlowLogEvents.Signals.SignalCodec.Decode(message.Body).LogGroup is var group && group != poisoned)
                {
                    return group;
                }
            }
            catch (FlowLogEvents.Signals.SignalFormatException)
            {
                // Not a signal: not a log group's work.
            }
        }

        return null;
    }
}
