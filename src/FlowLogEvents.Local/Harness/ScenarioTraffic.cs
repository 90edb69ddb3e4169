using System.Collections.Concurrent;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>A run's traffic: each batch written with PutLogEvents at its delivery time, then delivered to the signal function as the subscription would.</summary>
internal static class ScenarioTraffic
{
    /// <summary>How many PutLogEvents calls may be in flight at once.</summary>
    private const int PutConcurrency = 8;

    /// <summary>Each log group's last <paramref name="count"/> batches (by delivery time): the trailing edge before it falls silent.</summary>
    public static HashSet<TrafficBatch> LastBatches(TrafficPlan plan, int count) =>
        count <= 0
            ? []
            : plan.Batches.GroupBy(b => b.LogGroup, StringComparer.Ordinal).SelectMany(g => g.OrderBy(b => b.DeliverAt).TakeLast(count)).ToHashSet(ReferenceEqualityComparer.Instance as IEqualityComparer<TrafficBatch>);

    public static async Task WriteTrafficAsync(TrafficPlan plan, LocalCloudResources cloud, SimulatedClock clock, TimeSpan settle, SubscriptionDelivery delivery, HashSet<TrafficBatch> failing, RunCounters counters, Action written, Action<string> ingestedLate, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(PutConcurrency);
        var puts = new List<Task>();
        var deliveries = new ConcurrentBag<Task>();
        long sequence = 0;
        foreach (var batch in plan.Batches)
        {
            var wait = batch.DeliverAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await clock.DelayAsync(wait, ct).ConfigureAwait(false);
            }

            await gate.WaitAsync(ct).ConfigureAwait(false);
            puts.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await PutAsync(batch, cloud.Logs, clock, ct).ConfigureAwait(false);
                        var ingested = clock.GetUtcNow();
                        var settledBefore = (ingested - settle).ToUnixTimeMilliseconds();
                        counters.Ingested(batch.Records.Count);
                        counters.PutCompleted(ingested - batch.DeliverAt, batch.Records.Count(r => r.Timestamp < settledBefore));
                        foreach (var late in batch.Records.Where(r => r.Timestamp < settledBefore))
                        {
                            ingestedLate(late.Message);
                        }
                        var events = batch.Records
                            .Select(r => new SubscriptionEvent(SubscriptionEncoder.EventId(r.Timestamp, Interlocked.Increment(ref sequence)), r.Timestamp, r.Message))
                            .ToList();
                        var invocation = SubscriptionEncoder.DataMessage(FlowLogTraffic.AccountId, batch.LogGroup, batch.LogStream, events);
                        deliveries.Add(delivery.DeliverAsync(invocation, $"{batch.LogGroup}/{batch.LogStream}", failing.Contains(batch), ct));
                        counters.BatchDelivered();
                        written();
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                ct));
            puts.RemoveAll(t => t.IsCompletedSuccessfully);
            if (puts.FirstOrDefault(t => t.IsFaulted) is { } faulted)
            {
                await faulted.ConfigureAwait(false);
            }
        }

        await Task.WhenAll(puts).ConfigureAwait(false);
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    private static async Task PutAsync(TrafficBatch batch, CloudWatchLogsClient logs, SimulatedClock clock, CancellationToken ct)
    {
        var events = batch.Records.Select(r => new InputLogEvent(r.Timestamp, r.Message)).ToList();
        var response = await logs.PutLogEventsAsync(batch.LogGroup, batch.LogStream, events, ct).ConfigureAwait(false);
        if (response.RejectedLogEventsInfo is { } rejected
            && (rejected.TooNewLogEventStartIndex is not null || rejected.TooOldLogEventEndIndex is not null || rejected.ExpiredLogEventEndIndex is not null))
        {
            throw new InvalidOperationException(
                $"PutLogEvents rejected events of {batch.LogGroup}/{batch.LogStream} (tooNewLogEventStartIndex {rejected.TooNewLogEventStartIndex}, tooOldLogEventEndIndex {rejected.TooOldLogEventEndIndex}, expiredLogEventEndIndex {rejected.ExpiredLogEventEndIndex}); "
                + $"simulated now {clock.GetUtcNow():O}, real now {DateTimeOffset.UtcNow:O}, event times {DateTimeOffset.FromUnixTimeMilliseconds(events[0].Timestamp):O} .. {DateTimeOffset.FromUnixTimeMilliseconds(events[^1].Timestamp):O}");
        }
    }
}
