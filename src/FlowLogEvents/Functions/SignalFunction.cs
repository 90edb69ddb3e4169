using System.Text.Json;
using Amazon.SQS;
using FlowLogEvents.Aws;
using FlowLogEvents.Configuration;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Functions;

/// <summary>
/// CloudWatch Logs subscription filter -> SQS FIFO. Handler: <see cref="FunctionHandlers.Signal"/>. The same
/// handler drains the function's own on-failure destination (an SQS event of Lambda's invocation records for
/// deliveries it gave up on after its retries): each becomes the signal its delivery would have sent.
/// </summary>
public sealed class SignalFunction
{
    private readonly SignalPublisher _publisher;
    private readonly Telemetry _telemetry;
    private readonly HashSet<string> _ownLogGroups;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lateAfter;

    /// <summary>Used by the Lambda runtime: real clients, built once per execution environment.</summary>
    public SignalFunction()
        : this(SignalSettings.Read(EnvironmentReader.Process), TimeProvider.System)
    {
    }

    private SignalFunction(SignalSettings settings, TimeProvider time)
        : this(
            new SqsQueueSender(new AmazonSQSClient(AwsClients.SqsConfig()), settings.SignalQueueUrl),
            settings,
            time,
            Telemetry.ForStandardOutput(time, "signal"))
    {
    }

    /// <summary>Used by tests and the local runner: our interfaces, any clock, any telemetry sink.</summary>
    public SignalFunction(IQueueSender queue, SignalSettings settings, TimeProvider time, Telemetry telemetry)
    {
        _telemetry = telemetry;
        _time = time;
        _lateAfter = settings.LateAfter;
        _ownLogGroups = new HashSet<string>(settings.OwnLogGroups ?? [], StringComparer.Ordinal);
        _publisher = new SignalPublisher(queue, settings.Debounce, time, telemetry, settings.LateAfter);
    }

    /// <summary>
    /// Malformed payloads are logged and counted, not thrown: a retry cannot fix them. Failures to
    /// reach SQS throw, so Lambda's asynchronous retries deliver the payload again.
    /// </summary>
    public Task<Stream> HandleAsync(Stream input) => HandleAsync(input, CancellationToken.None);

    /// <summary>As <see cref="HandleAsync(Stream)"/>; <paramref name="ct"/> (the invocation's deadline) cancels the send to SQS.</summary>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buffered = new MemoryStream();
        await input.CopyToAsync(buffered, ct).ConfigureAwait(false);
        buffered.Position = 0;
        return IsSqsEvent(buffered.GetBuffer().AsSpan(0, (int)buffered.Length))
            ? await HandleFailedDeliveriesAsync(buffered, ct).ConfigureAwait(false)
            : await HandleDeliveryAsync(buffered, ct).ConfigureAwait(false);
    }

    private async Task<Stream> HandleDeliveryAsync(Stream input, CancellationToken ct)
    {
        SubscriptionSummary delivery;
        try
        {
            // Events at least as old as the lateness bound (the publisher's "possibly late") may be late records riding along:
            // the oldest younger one tells the ordinary delivery lag.
            delivery = await SubscriptionPayload.DecodeAsync(input, onTimeFrom: _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_lateAfter.TotalMilliseconds + 1, ct: ct).ConfigureAwait(false);
        }
        catch (PayloadFormatException ex)
        {
            return Malformed(ex.Message);
        }

        if (delivery.LogGroup is { } logGroup && _ownLogGroups.Contains(logGroup))
        {
            // A subscription on one of the stack's own function log groups: every invocation writes lines there that
            // come back as the next delivery, and CloudWatch Logs -> Lambda is not covered by Lambda's recursive loop
            // detection. Never a signal (no export of our own output); the loop ends only when the filter goes.
            _telemetry.Error(LogEvents.DeliveryOwnLogGroup, ("logGroup", logGroup), ("action", "refused: the stack's own function log group; remove its subscription filter (it would feed this function forever)"));
            _telemetry.Metric(MetricNames.OwnLogGroupDeliveries, 1, MetricUnit.Count);
            return Respond(new SignalResponse { Result = "refused", LogGroup = logGroup });
        }

        // Events CloudWatch Logs could not have accepted (older than 14 days, more than 2 hours ahead) are not a
        // delivery of its: a signal for them would start a backfill from 1970 or ask for times no checkpoint holds.
        if (!delivery.IsControlMessage && delivery.EventCount > 0
            && SignalLimits.DeliveryViolation(delivery.FirstEventTime, delivery.LastEventTime, _time.GetUtcNow().ToUnixTimeMilliseconds()) is { } violation)
        {
            return Malformed(violation);
        }

        var result = await _publisher.PublishAsync(delivery, ct).ConfigureAwait(false);
        return Respond(new SignalResponse { Result = result.ToString(), LogGroup = delivery.LogGroup });
    }

    /// <summary>
    /// The on-failure destination's records (an SQS event with ReportBatchItemFailures): a record whose signal
    /// cannot be sent now is reported and comes back; one that holds no delivery to recover is logged and dropped.
    /// </summary>
    private async Task<Stream> HandleFailedDeliveriesAsync(Stream input, CancellationToken ct)
    {
        var sqsEvent = await JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.SqsEvent, ct).ConfigureAwait(false);
        var failed = new List<BatchItemFailure>();
        foreach (var record in sqsEvent?.Records ?? [])
        {
            try
            {
                await RecoverAsync(record.MessageId, record.Body, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _telemetry.Error(LogEvents.DeliveryRecoveryFailed, ("messageId", record.MessageId), ("error", $"{ex.GetType().Name}: {ex.Message}"), ("action", "reported as a batch item failure; the record comes back"));
                failed.Add(new BatchItemFailure { ItemIdentifier = record.MessageId ?? throw new InvalidDataException("an SQS record has no messageId: the whole batch is retried", ex) });
            }
        }

        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new SqsBatchResponse { BatchItemFailures = failed }, LambdaJsonContext.Default.SqsBatchResponse), writable: false);
    }

    private async Task RecoverAsync(string? messageId, string? body, CancellationToken ct)
    {
        FailedDelivery failure;
        SubscriptionSummary delivery;
        try
        {
            failure = FailedDelivery.Decode(body);
            if (failure.RequestPayload is null)
            {
                Unrecoverable(messageId, failure.RequestId, "the invocation record has no requestPayload (Lambda leaves it out when the record would exceed the destination's size limit)");
                return;
            }

            delivery = SubscriptionPayload.Decode(failure.RequestPayload);
        }
        catch (PayloadFormatException ex)
        {
            Unrecoverable(messageId, null, ex.Message);
            return;
        }

        if (delivery.IsControlMessage || delivery.EventCount == 0 || (delivery.LogGroup is { } own && _ownLogGroups.Contains(own)))
        {
            _telemetry.Info(LogEvents.SignalSkipped, ("reason", "recovered delivery needs no signal"), ("logGroup", delivery.LogGroup), ("requestId", failure.RequestId));
            return;
        }

        // Judged at the moment Lambda gave up on the delivery, not now: the record may have waited in the queue.
        if (SignalLimits.DeliveryViolation(delivery.FirstEventTime, delivery.LastEventTime, failure.FailedAt) is { } violation)
        {
            Unrecoverable(messageId, failure.RequestId, violation);
            return;
        }

        await _publisher.PublishRecoveredAsync(delivery, failure, ct).ConfigureAwait(false);
    }

    private void Unrecoverable(string? messageId, string? requestId, string reason)
    {
        _telemetry.Error(LogEvents.DeliveryUnrecoverable, ("messageId", messageId), ("requestId", requestId), ("reason", reason), ("action", "dropped: the range it stood for waits for the log group's next signal; find it in the function's log by requestId"));
        _telemetry.Metric(MetricNames.UnrecoverableDeliveries, 1, MetricUnit.Count);
    }

    /// <summary>Whether the event is an SQS event (<c>{"Records": [...]}</c>) rather than a subscription delivery (<c>{"awslogs": ...}</c>).</summary>
    private static bool IsSqsEvent(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read()
                && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("Records"u8);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private MemoryStream Malformed(string reason)
    {
        _telemetry.Error(LogEvents.PayloadMalformed, ("reason", reason), ("action", "dropped: a retry cannot fix it"));
        _telemetry.Metric(MetricNames.MalformedPayloads, 1, MetricUnit.Count);
        return Respond(new SignalResponse { Result = "malformed", Error = reason });
    }

    private static MemoryStream Respond(SignalResponse response) =>
        new(JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.SignalResponse), writable: false);
}
