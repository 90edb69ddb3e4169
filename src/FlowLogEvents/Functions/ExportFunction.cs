using System.Text.Json;
using Amazon.S3;
using Amazon.SQS;
using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Configuration;
using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Functions;

/// <summary>
/// SQS FIFO -> CloudWatch Logs CreateExportTask. Handler: <see cref="FunctionHandlers.Export"/>.
/// </summary>
public sealed class ExportFunction
{
    private readonly ExportBatchProcessor _processor;

    /// <summary>Used by the Lambda runtime: real clients, built once per execution environment.</summary>
    public ExportFunction()
        : this(ExportSettings.Read(EnvironmentReader.Process), TimeProvider.System)
    {
    }

    private ExportFunction(ExportSettings settings, TimeProvider time)
        : this(settings, time, new AmazonSQSClient(AwsClients.SqsConfig()))
    {
    }

    private ExportFunction(ExportSettings settings, TimeProvider time, IAmazonSQS sqs)
        : this(settings, time, sqs, new AmazonS3Client(AwsClients.S3Config()), new CloudWatchLogsClient())
    {
    }

    private ExportFunction(ExportSettings settings, TimeProvider time, IAmazonSQS sqs, IAmazonS3 s3, CloudWatchLogsClient logs)
        : this(
            new S3CheckpointStore(s3, settings.StateBucket, settings.StatePrefix),
            new CloudWatchExportTasks(logs),
            new SqsQueueSender(sqs, settings.SignalQueueUrl),
            new SqsQueueSender(sqs, settings.DeadLetterQueueUrl),
            settings.Policy,
            time,
            Telemetry.ForStandardOutput(time, "export"),
            new CloudWatchLogEventSource(logs, time),
            new S3ExportedObjects(s3, settings.Policy.ExportBucket, time))
    {
    }

    /// <summary>
    /// Used by tests and the local runner: our interfaces, any clock, any telemetry sink. Windows are verified when the
    /// policy asks for it (<see cref="ExportPolicy.Verification"/>) and both <paramref name="events"/> and
    /// <paramref name="exports"/> are given.
    /// </summary>
    public ExportFunction(
        ICheckpointStore checkpoints,
        IExportTasks tasks,
        IQueueSender signalQueue,
        IQueueSender deadLetterQueue,
        ExportPolicy policy,
        TimeProvider time,
        Telemetry telemetry,
        ILogEventSource? events = null,
        IExportedObjects? exports = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var verification = policy.Verification is not null && events is not null && exports is not null
            ? new VerificationRunner(checkpoints, new WindowVerifier(events, exports), policy, time, telemetry)
            : null;
        var coordinator = new ExportCoordinator(checkpoints, tasks, policy, time, telemetry, verification);
        _processor = new ExportBatchProcessor(coordinator, signalQueue, deadLetterQueue, telemetry);
    }

    /// <summary>The record's ApproximateReceiveCount; 1 when absent or not a number (a hand-made event).</summary>
    private static int ReceiveCount(SqsEventRecord record) =>
        record.Attributes?.TryGetValue("ApproximateReceiveCount", out var value) == true && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 1;

    /// <summary>An event that is not an SQS event throws: the whole batch is retried, nothing is lost.</summary>
    public Task<Stream> HandleAsync(Stream input) => HandleAsync(input, CancellationToken.None);

    /// <summary>
    /// As <see cref="HandleAsync(Stream)"/>; when <paramref name="ct"/> fires (the invocation's deadline is near)
    /// the records not yet processed are answered as batch item failures.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken ct)
    {
        var sqsEvent = await JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.SqsEvent, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException("SQS event is JSON null");
        var records = (sqsEvent.Records ?? throw new InvalidDataException("SQS event has no Records array"))
            .Select((r, i) => new QueueRecord(r.MessageId ?? throw new InvalidDataException($"Records[{i}].messageId is missing"), r.Body, ReceiveCount(r)))
            .ToList();

        var failed = await _processor.ProcessAsync(records, ct).ConfigureAwait(false);
        var response = new SqsBatchResponse
        {
            BatchItemFailures = failed.Select(id => new BatchItemFailure { ItemIdentifier = id }).ToList(),
        };
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.SqsBatchResponse), writable: false);
    }
}
