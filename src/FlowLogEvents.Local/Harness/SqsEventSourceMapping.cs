using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Functions;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// The Lambda SQS event source mapping for the FIFO signal queue, with ReportBatchItemFailures:
/// long-polls for batches of up to BatchSize, invokes the export function's real handler with the
/// SQS event Lambda would build, deletes the records that succeeded, and leaves the reported
/// failures (or the whole batch when the invocation throws) to reappear after the visibility
/// timeout; the queue's redrive policy moves a record to the DLQ after maxReceiveCount receives.
/// One poller: every signal shares one message group, so FIFO processes them serially anyway.
/// An invocation whose process died gets no response: nothing is deleted, and the whole batch comes
/// back after the visibility timeout. Faults: a share of succeeded records is not deleted (redelivered
/// later), and a share of batches is also handed, at the same time, to a second export function.
/// <para>
/// Recursive loop detection, as Lambda does it for SQS: each record's <c>AWSTraceHeader</c> (a record without
/// one starts a fresh trace) says through its <c>Lineage</c> how often this chain already invoked the function.
/// A record at <see cref="TraceHeader.MaxRecursiveInvocations"/> is not delivered: the invocation is stopped
/// (<see cref="RunCounters.RecursiveInvocationsDropped"/>) and the record goes to the queue's dead-letter queue
/// ("Lambda will stop the next invocation and sends the event to a Dead-Letter Queue ... if configured";
/// whether SQS's redrive moves it after maxReceiveCount or Lambda at once is not documented: it is moved at
/// once, the harsher timing; without a DLQ it is deleted), unless the function's <c>RecursiveLoop</c> is
/// <c>Allow</c>. The other records run with the highest count of the batch + 1 in the trace header handed to the
/// function (<c>Lambda-Runtime-Trace-Id</c>; AWS does not say whose header a batch's invocation carries: the
/// highest is the harsher reading), which the SDK sends on with every request, so continuations inherit it.
/// </para>
/// </summary>
public sealed class SqsEventSourceMapping(
    IAmazonSQS sqs,
    Uri queueUrl,
    string queueArn,
    int batchSize,
    IFunctionInvoker function,
    RunCounters counters,
    Action<string> problem)
{
    private const string Region = "us-east-1";

    public SqsEventSourceMapping(IAmazonSQS sqs, Uri queueUrl, string queueArn, int batchSize, ExportFunction function, RunCounters counters, Action<string> problem)
        : this(sqs, queueUrl, queueArn, batchSize, new FunctionHost<ExportFunction>(_ => function, static (f, input) => f.HandleAsync(input)), counters, problem)
    {
    }

    /// <summary>Share of succeeded records left undeleted (a duplicate delivery after the visibility timeout).</summary>
    public double ForgetDeleteRate { get; init; }

    /// <summary>A second export function (a manual backfill) that receives copies of some batches at the same time.</summary>
    public IFunctionInvoker? Concurrent { get; init; }

    public double ConcurrentRate { get; init; }

    public int Seed { get; init; }

    /// <summary>The function's name: its key in the trace header's Lineage.</summary>
    public string FunctionName { get; init; } = "ExportFunction";

    /// <summary>The function's RecursiveLoop setting (<c>Allow</c> or <c>Terminate</c>, Lambda's default).</summary>
    public string RecursiveLoop { get; init; } = "Terminate";

    /// <summary>The source queue's dead-letter queue (its redrive target), where records of stopped loops go; null: they are deleted.</summary>
    public Uri? DeadLetterQueueUrl { get; init; }

    /// <summary>The clock fresh trace roots take their epoch from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The queue's visibility timeout (real time). When records of a batch stay undeleted (the process
    /// died, the function threw, reported failures, forgotten deletes) the single message group is
    /// blocked in SQS until it expires; the mapping waits it out, then makes those records visible
    /// again itself, all at once: moto 5.2.1, when a timed-out batch reappears, skips its first record
    /// while the rest of the batch still counts as in flight, and so breaks FIFO order (AWS does not).
    /// Zero: leave it to moto.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; init; }

    /// <summary>Where the mapping notes each batch and what became of it (one JSON line each), or null.</summary>
    public Stream? Trace { get; init; }

    /// <summary>The ids of the messages this mapping deleted after the function processed them.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte> Deleted { get; } = new(StringComparer.Ordinal);

    private void Note(string outcome, IReadOnlyList<Message> messages, IEnumerable<string>? ids = null)
    {
        if (Trace is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", "esm." + outcome);
            json.WriteStartArray("records");
            foreach (var m in messages)
            {
                json.WriteStartObject();
                json.WriteString("id", m.MessageId);
                json.WriteString("receiveCount", m.Attributes?.GetValueOrDefault("ApproximateReceiveCount"));
                try
                {
                    using var body = JsonDocument.Parse(m.Body);
                    foreach (var name in new[] { "kind", "logGroup", "windowStart", "firstEventTime", "lastEventTime" })
                    {
                        if (body.RootElement.TryGetProperty(name, out var value))
                        {
                            json.WritePropertyName(name);
                            value.WriteTo(json);
                        }
                    }
                }
                catch (JsonException)
                {
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (ids is not null)
            {
                json.WriteStartArray("ids");
                foreach (var id in ids)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (Trace)
        {
            Trace.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            Trace.Flush();
        }
    }

    private Random? _random;

    private double Draw()
    {
#pragma warning disable CA5394 // Reproducible fault schedules, not security.
        _random ??= new Random(Seed ^ 0x5eed);
        return _random.NextDouble();
#pragma warning restore CA5394
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            List<Message> messages;
            try
            {
                var received = await sqs.ReceiveMessageAsync(
                    new ReceiveMessageRequest
                    {
                        QueueUrl = queueUrl.ToString(),
                        MaxNumberOfMessages = batchSize,
                        WaitTimeSeconds = 1,
                        MessageSystemAttributeNames = ["All"],
                        MessageAttributeNames = ["All"],
                    },
                    stop).ConfigureAwait(false);
                messages = received.Messages ?? [];
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonSQSException ex)
            {
                problem($"event source mapping: ReceiveMessage failed: {ex.Message}");
                await Task.Delay(500, stop).ConfigureAwait(false);
                continue;
            }

            if (messages.Count == 0)
            {
                continue;
            }

            var (traceId, looping) = TraceOf(messages);
            if (looping.Count > 0)
            {
                await StopLoopAsync(looping).ConfigureAwait(false);
                messages = messages.Except(looping).ToList();
                if (messages.Count == 0)
                {
                    continue;
                }
            }

            var (data, continuations) = CountKinds(messages);
            counters.ExportInvoked(messages.Count, data, continuations);
            counters.ExportRedelivered(messages.Count(m => m.Attributes is { } a && a.TryGetValue("ApproximateReceiveCount", out var n) && n != "1"));
            Task? concurrent = null;
            if (Concurrent is { } second && ConcurrentRate > 0 && Draw() < ConcurrentRate)
            {
                // Someone runs the export function by hand with the same signals, right now.
                counters.BackfillInvoked();
                var copies = messages.Select(m => new Message { MessageId = "backfill-" + m.MessageId, ReceiptHandle = "backfill", Body = m.Body, Attributes = m.Attributes, MessageAttributes = m.MessageAttributes, MD5OfBody = m.MD5OfBody }).ToList();
                var payload = Event(copies, queueArn);
                concurrent = Task.Run(async () =>
                {
                    try
                    {
                        await using var ignored = await second.InvokeAsync(payload, TraceHeader.Fresh(Clock).ForInvocationOf(FunctionName).ToString()).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        counters.BackfillFailed();
                        problem($"backfill export function threw: {ex.GetType().Name}: {ex.Message}");
                    }
                }, CancellationToken.None);
            }

            HashSet<string> failed;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await using var output = await function.InvokeAsync(Event(messages, queueArn), traceId).ConfigureAwait(false);
                if (output is null)
                {
                    // The process died: no response; the batch comes back after the visibility timeout.
                    counters.ExportDied();
                    Note("died", messages);
                    await ReleaseAfterVisibilityAsync(messages, stop).ConfigureAwait(false);
                    continue;
                }

                failed = ParseFailures(output, messages);
                counters.ExportHandlerTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex)
            {
                // A function error: Lambda retries the whole batch after the visibility timeout.
                counters.ExportFailed();
                Note("threw", messages);
                problem($"export function threw on a batch of {messages.Count}: {ex.GetType().Name}: {ex.Message}");
                await ReleaseAfterVisibilityAsync(messages, stop).ConfigureAwait(false);
                continue;
            }
            finally
            {
                if (concurrent is not null)
                {
                    await concurrent.ConfigureAwait(false);
                }
            }

            var succeeded = messages.Where(m => !failed.Contains(m.MessageId)).ToList();
            if (ForgetDeleteRate > 0)
            {
                var forgotten = succeeded.Where(_ => Draw() < ForgetDeleteRate).ToList();
                counters.ExportDeleteForgotten(forgotten.Count);
                succeeded = succeeded.Except(forgotten).ToList();
                if (forgotten.Count > 0)
                {
                    Note("forgot-delete", forgotten);
                }
            }

            Note("done", messages, failed);
            if (succeeded.Count > 0)
            {
                var deleted = await sqs.DeleteMessageBatchAsync(
                    new DeleteMessageBatchRequest
                    {
                        QueueUrl = queueUrl.ToString(),
                        Entries = succeeded.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
                    },
                    CancellationToken.None).ConfigureAwait(false);
                foreach (var failure in deleted.Failed ?? [])
                {
                    problem($"event source mapping: DeleteMessage failed: {failure.Code} {failure.Message}");
                }

                var failedEntries = (deleted.Failed ?? []).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var (message, i) in succeeded.Select((m, i) => (m, i)))
                {
                    if (!failedEntries.Contains(i.ToString(CultureInfo.InvariantCulture)))
                    {
                        Deleted.TryAdd(message.MessageId, 0);
                    }
                }
            }

            counters.ExportAcknowledged(succeeded.Count, failed.Count);
            var kept = messages.Where(m => !succeeded.Contains(m)).ToList();
            if (kept.Count > 0)
            {
                await ReleaseAfterVisibilityAsync(kept, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The trace header of the batch's invocation, and the records whose loop Lambda stops instead of delivering.</summary>
    private (string TraceId, List<Message> Looping) TraceOf(IReadOnlyList<Message> messages)
    {
        var traces = messages
            .Select(m => (Message: m, Trace: TraceHeader.Parse(m.Attributes?.GetValueOrDefault("AWSTraceHeader")) ?? TraceHeader.Fresh(Clock)))
            .ToList();
        var looping = string.Equals(RecursiveLoop, "Allow", StringComparison.Ordinal)
            ? []
            : traces.Where(t => t.Trace.InvocationsOf(FunctionName) >= TraceHeader.MaxRecursiveInvocations).Select(t => t.Message).ToList();
        var delivered = traces.Where(t => !looping.Contains(t.Message)).Select(t => t.Trace).ToList();
        var inherited = delivered.Count == 0 ? traces[0].Trace : delivered.MaxBy(t => t.InvocationsOf(FunctionName))!;
        return (inherited.ForInvocationOf(FunctionName).ToString(), looping);
    }

    /// <summary>Lambda stops the invocation of looping records: they go to the DLQ (with their attributes and trace header) and leave the queue.</summary>
    private async Task StopLoopAsync(List<Message> looping)
    {
        var moved = 0;
        foreach (var m in looping)
        {
            if (DeadLetterQueueUrl is { } dlq)
            {
                var copy = new SendMessageRequest
                {
                    QueueUrl = dlq.ToString(),
                    MessageBody = m.Body,
                    MessageGroupId = m.Attributes?.GetValueOrDefault("MessageGroupId"),
                    MessageDeduplicationId = "loop-" + m.MessageId,
                    MessageAttributes = m.MessageAttributes is { Count: > 0 } attributes ? new Dictionary<string, MessageAttributeValue>(attributes) : null,
                };
                if (m.Attributes?.GetValueOrDefault("AWSTraceHeader") is { } header)
                {
                    copy.MessageSystemAttributes = new Dictionary<string, MessageSystemAttributeValue>
                    {
                        ["AWSTraceHeader"] = new() { DataType = "String", StringValue = header },
                    };
                }

                await sqs.SendMessageAsync(copy, CancellationToken.None).ConfigureAwait(false);
                moved++;
            }

            await sqs.DeleteMessageAsync(queueUrl.ToString(), m.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
        }

        counters.RecursiveInvocationDropped(moved);
        Note("loop-stopped", looping);
        problem($"recursive loop detection stopped {FunctionName} on {looping.Count} record(s) ({TraceHeader.MaxRecursiveInvocations} invocations in one trace lineage); {moved} moved to the DLQ");
    }

    private async Task ReleaseAfterVisibilityAsync(IReadOnlyList<Message> undeleted, CancellationToken stop)
    {
        if (VisibilityTimeout <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(VisibilityTimeout, stop).ConfigureAwait(false);
            await sqs.ChangeMessageVisibilityBatchAsync(
                new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = queueUrl.ToString(),
                    Entries = undeleted.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle) { VisibilityTimeout = 0 }).ToList(),
                },
                stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (AmazonSQSException ex)
        {
            problem($"event source mapping: ChangeMessageVisibility failed: {ex.Message}");
        }
    }

    /// <summary>The SQS event the event source mapping delivers to the function.</summary>
    public static byte[] Event(IReadOnlyList<Message> messages, string queueArn)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var m in messages)
            {
                json.WriteStartObject();
                json.WriteString("messageId", m.MessageId);
                json.WriteString("receiptHandle", m.ReceiptHandle);
                json.WriteString("body", m.Body);
                json.WriteStartObject("attributes");
                foreach (var (name, value) in m.Attributes ?? [])
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                json.WriteStartObject("messageAttributes");
                foreach (var (name, value) in m.MessageAttributes ?? [])
                {
                    json.WriteStartObject(name);
                    json.WriteString("stringValue", value.StringValue);
                    json.WriteStartArray("stringListValues");
                    json.WriteEndArray();
                    json.WriteStartArray("binaryListValues");
                    json.WriteEndArray();
                    json.WriteString("dataType", value.DataType);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteString("md5OfBody", m.MD5OfBody);
                json.WriteString("eventSource", "aws:sqs");
                json.WriteString("eventSourceARN", queueArn);
                json.WriteString("awsRegion", Region);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>batchItemFailures; an id that is not in the batch makes Lambda treat the whole batch as failed.</summary>
    private static HashSet<string> ParseFailures(Stream output, IReadOnlyList<Message> messages)
    {
        using var document = JsonDocument.Parse(output);
        var ids = messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("batchItemFailures", out var failures))
        {
            foreach (var failure in failures.EnumerateArray())
            {
                var id = failure.GetProperty("itemIdentifier").GetString();
                if (id is null || !ids.Contains(id))
                {
                    return ids;
                }

                failed.Add(id);
            }
        }

        return failed;
    }

    private static (int Data, int Continuations) CountKinds(IReadOnlyList<Message> messages)
    {
        var (data, continuations) = (0, 0);
        foreach (var m in messages)
        {
            try
            {
                using var body = JsonDocument.Parse(m.Body);
                if (body.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "continuation")
                {
                    continuations++;
                }
                else
                {
                    data++;
                }
            }
            catch (JsonException)
            {
            }
        }

        return (data, continuations);
    }
}
