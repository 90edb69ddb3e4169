using System.Text.Json;
using Amazon.SQS;
using FlowLogEvents.Aws;
using FlowLogEvents.Configuration;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Functions;

/// <summary>
/// CloudWatch Logs subscription filter -> SQS FIFO. Handler: <see cref="FunctionHandlers.Signal"/>.
/// </summary>
public sealed class SignalFunction
{
    private readonly SignalPublisher _publisher;
    private readonly Telemetry _telemetry;
    private readonly HashSet<string> _ownLogGroups;
    private readonly TimeProvider _time;

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
        SubscriptionSummary delivery;
        try
        {
            delivery = await SubscriptionPayload.DecodeAsync(input, ct: ct).ConfigureAwait(false);
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
            _telemetry.Error("delivery.own-log-group", ("logGroup", logGroup), ("action", "refused: the stack's own function log group; remove its subscription filter (it would feed this function forever)"));
            _telemetry.Metric("OwnLogGroupDeliveries", 1, MetricUnit.Count);
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

    private MemoryStream Malformed(string reason)
    {
        _telemetry.Error("payload.malformed", ("reason", reason), ("action", "dropped: a retry cannot fix it"));
        _telemetry.Metric("MalformedPayloads", 1, MetricUnit.Count);
        return Respond(new SignalResponse { Result = "malformed", Error = reason });
    }

    private static MemoryStream Respond(SignalResponse response) =>
        new(JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.SignalResponse), writable: false);
}
