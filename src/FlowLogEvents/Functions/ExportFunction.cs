using System.Text.Json;
using Amazon.S3;
using Amazon.SQS;
using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Configuration;
using FlowLogEvents.Exports;
using FlowLogEvents.Observability;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Functions;

/// <summary>
/// SQS FIFO -> CloudWatch Logs CreateExportTask. Handler:
/// <c>FlowLogEvents::FlowLogEvents.Functions.ExportFunction::HandleAsync</c>.
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
        : this(
            new S3CheckpointStore(new AmazonS3Client(AwsClients.S3Config()), settings.StateBucket, settings.StatePrefix),
            new CloudWatchExportTasks(new CloudWatchLogsClient()),
            new SqsQueueSender(sqs, settings.SignalQueueUrl),
            new SqsQueueSender(sqs, settings.DeadLetterQueueUrl),
            settings.Policy,
            time,
            Telemetry.ForStandardOutput(time, "export"))
    {
    }

    /// <summary>Used by tests and the local runner: our interfaces, any clock, any telemetry sink.</summary>
    public ExportFunction(
        ICheckpointStore checkpoints,
        IExportTasks tasks,
        IQueueSender signalQueue,
        IQueueSender deadLetterQueue,
        ExportPolicy policy,
        TimeProvider time,
        Telemetry telemetry)
    {
        var coordinator = new ExportCoordinator(checkpoints, tasks, policy, time, telemetry);
        _processor = new ExportBatchProcessor(coordinator, signalQueue, deadLetterQueue, telemetry);
    }

    /// <summary>An event that is not an SQS event throws: the whole batch is retried, nothing is lost.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        var sqsEvent = await JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.SqsEvent).ConfigureAwait(false)
            ?? throw new InvalidDataException("SQS event is JSON null");
        var records = (sqsEvent.Records ?? throw new InvalidDataException("SQS event has no Records array"))
            .Select((r, i) => new QueueRecord(r.MessageId ?? throw new InvalidDataException($"Records[{i}].messageId is missing"), r.Body))
            .ToList();

        var failed = await _processor.ProcessAsync(records, CancellationToken.None).ConfigureAwait(false);
        var response = new SqsBatchResponse
        {
            BatchItemFailures = failed.Select(id => new BatchItemFailure { ItemIdentifier = id }).ToList(),
        };
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(response, LambdaJsonContext.Default.SqsBatchResponse), writable: false);
    }
}
