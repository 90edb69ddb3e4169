using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Configuration;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// What serverless.template describes, provisioned in moto_server for one run: the export bucket
/// (checkpoints live under its state prefix), the FIFO DLQ, the FIFO signal queue with its redrive
/// policy, and the log groups with one stream per ENI. CloudWatch Logs calls go through the
/// <see cref="CloudWatchLogsFront"/>, which adds the export-task semantics moto lacks.
/// </summary>
public sealed class LocalCloudResources : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    private LocalCloudResources(Uri moto, CloudWatchLogsFront front, string runId)
    {
        MotoEndpoint = moto;
        Front = front;
        RunId = runId;
        var credentials = new BasicAWSCredentials("test", "test");
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = moto.ToString(), ForcePathStyle = true, AuthenticationRegion = Region });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = moto.ToString(), AuthenticationRegion = Region });
        Logs = new CloudWatchLogsClient(credentials, new CloudWatchLogsConfig { ServiceURL = front.Endpoint.ToString(), AuthenticationRegion = Region });
        Bucket = $"flowlogevents-local-{runId}";
    }

    public Uri MotoEndpoint { get; }

    public CloudWatchLogsFront Front { get; }

    public string RunId { get; }

    public AmazonS3Client S3 { get; }

    public AmazonSQSClient Sqs { get; }

    /// <summary>Our CloudWatch Logs client, pointed at the front (PutLogEvents included).</summary>
    public CloudWatchLogsClient Logs { get; }

    public string Bucket { get; }

    public Uri SignalQueueUrl { get; private set; } = null!;

    public Uri DeadLetterQueueUrl { get; private set; } = null!;

    public string SignalQueueArn { get; private set; } = null!;

    public QueueTiming QueueTiming { get; private set; } = null!;

    public SignalSettings SignalSettings { get; private set; } = null!;

    public ExportSettings ExportSettings { get; private set; } = null!;

    /// <summary>The signal function's on-failure destination queue (standard), when the template configures one.</summary>
    public Uri? SignalFailureQueueUrl { get; private set; }

    public string? SignalFailureQueueArn { get; private set; }

    /// <summary>The destination queue's logical id in the template.</summary>
    public string? SignalFailureQueueLogicalId { get; private set; }

    /// <summary>serverless.template's intrinsic functions resolved for this run (parameters, queue URLs and ARNs, bucket, log groups).</summary>
    public TemplateIntrinsics Intrinsics { get; private set; } = null!;

    /// <summary>The environment variables serverless.template gives each function, resolved for this run.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> FunctionEnvironments { get; private set; } = null!;

    public static async Task<LocalCloudResources> StartAsync(Uri moto, TimeProvider clock, ExportTaskTiming timing, string runId, CancellationToken ct)
    {
        var front = await CloudWatchLogsFront.StartAsync(moto, clock, timing, ct).ConfigureAwait(false);
        return new LocalCloudResources(moto, front, runId);
    }

    /// <param name="parameters">Template parameter overrides (e.g. SettleDelaySeconds, DebounceSeconds).</param>
    public async Task ProvisionAsync(ServerlessTemplate template, QueueTiming queueTiming, IReadOnlyDictionary<string, string> parameters, IEnumerable<(string LogGroup, IReadOnlyList<string> Streams)> logGroups, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(logGroups);
        QueueTiming = queueTiming;

        await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, ct).ConfigureAwait(false);
        var prefix = parameters.GetValueOrDefault("ExportPrefix") ?? template.ParameterDefault("ExportPrefix") ?? "flowlogevents/exports";
        await S3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = Bucket, Policy = ExportBucketPolicy(Bucket, prefix) }, ct).ConfigureAwait(false);

        var dlqName = template.DeadLetterTarget("SignalQueue");
        var dlq = await Sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = $"flowlogevents-dlq-{RunId}.fifo",
                Attributes = new Dictionary<string, string>
                {
                    ["FifoQueue"] = "true",
                    ["MessageRetentionPeriod"] = template.QueueAttribute(dlqName, "MessageRetentionPeriod", 345600).ToString(CultureInfo.InvariantCulture),
                },
            },
            ct).ConfigureAwait(false);
        DeadLetterQueueUrl = new Uri(dlq.QueueUrl);
        var dlqArn = (await Sqs.GetQueueAttributesAsync(dlq.QueueUrl, ["QueueArn"], ct).ConfigureAwait(false)).QueueARN;

        var queue = await Sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = $"flowlogevents-signals-{RunId}.fifo",
                Attributes = new Dictionary<string, string>
                {
                    ["FifoQueue"] = "true",
                    ["DelaySeconds"] = queueTiming.DelaySeconds.ToString(CultureInfo.InvariantCulture),
                    ["VisibilityTimeout"] = queueTiming.VisibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                    ["MessageRetentionPeriod"] = queueTiming.MessageRetentionSeconds.ToString(CultureInfo.InvariantCulture),
                    ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":{queueTiming.MaxReceiveCount.ToString(CultureInfo.InvariantCulture)}}}",
                },
            },
            ct).ConfigureAwait(false);
        SignalQueueUrl = new Uri(queue.QueueUrl);
        SignalQueueArn = (await Sqs.GetQueueAttributesAsync(queue.QueueUrl, ["QueueArn"], ct).ConfigureAwait(false)).QueueARN;

        // The signal function's on-failure destination, as the template configures it: a standard queue.
        if (template.OnFailureQueue("SignalFunction") is { } failureQueue)
        {
            var failures = await Sqs.CreateQueueAsync(
                new CreateQueueRequest
                {
                    QueueName = $"flowlogevents-signal-failures-{RunId}",
                    Attributes = new Dictionary<string, string>
                    {
                        // moto's timers run in real time: the signal queue's scaled visibility timeout (a failed recovery comes back later, never sooner).
                        ["VisibilityTimeout"] = queueTiming.VisibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                        ["MessageRetentionPeriod"] = template.QueueAttribute(failureQueue, "MessageRetentionPeriod", 345600).ToString(CultureInfo.InvariantCulture),
                    },
                },
                ct).ConfigureAwait(false);
            SignalFailureQueueLogicalId = failureQueue;
            SignalFailureQueueUrl = new Uri(failures.QueueUrl);
            SignalFailureQueueArn = (await Sqs.GetQueueAttributesAsync(failures.QueueUrl, ["QueueArn"], ct).ConfigureAwait(false)).QueueARN;
        }

        var groupList = logGroups.ToList();
        foreach (var (logGroup, streams) in groupList)
        {
            await Logs.CreateLogGroupAsync(logGroup, ct).ConfigureAwait(false);
            foreach (var stream in streams)
            {
                await Logs.CreateLogStreamAsync(logGroup, stream, ct).ConfigureAwait(false);
            }
        }

        var groups = groupList.Select(g => g.LogGroup).ToList();
        var refs = new Dictionary<string, string>(parameters, StringComparer.Ordinal)
        {
            ["SignalQueue"] = SignalQueueUrl.ToString(),
            ["DeadLetterQueue"] = DeadLetterQueueUrl.ToString(),
            ["ExportBucketName"] = Bucket,
            // Lambda names a function's log group /aws/lambda/<name>; the local functions are named by their logical ids.
            ["SignalFunctionLogGroup"] = "/aws/lambda/SignalFunction",
            ["ExportFunctionLogGroup"] = "/aws/lambda/ExportFunction",
        };

        // The deployment lists the run's log groups (the template grants CreateExportTask on the listed ones).
        refs.TryAdd("LogGroupNames", string.Join(",", groups));
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SignalQueue.Arn"] = SignalQueueArn,
            ["SignalQueue.QueueName"] = SignalQueueUrl.AbsolutePath.Split('/')[^1],
            ["DeadLetterQueue.Arn"] = dlqArn,
            ["DeadLetterQueue.QueueName"] = DeadLetterQueueUrl.AbsolutePath.Split('/')[^1],
            ["SignalFunctionLogGroup.Arn"] = $"arn:aws:logs:{Region}:{AccountId}:log-group:{refs["SignalFunctionLogGroup"]}:*",
            ["ExportFunctionLogGroup.Arn"] = $"arn:aws:logs:{Region}:{AccountId}:log-group:{refs["ExportFunctionLogGroup"]}:*",
            ["ExportBucket.Arn"] = $"arn:aws:s3:::{Bucket}",
        };
        if (SignalFailureQueueLogicalId is { } failureId)
        {
            refs[failureId] = SignalFailureQueueUrl!.ToString();
            attributes[failureId + ".Arn"] = SignalFailureQueueArn!;
            attributes[failureId + ".QueueName"] = SignalFailureQueueUrl.AbsolutePath.Split('/')[^1];
        }

        Intrinsics = template.Intrinsics(refs, attributes);
        var signalEnv = template.Environment("SignalFunction", Intrinsics);
        var exportEnv = template.Environment("ExportFunction", Intrinsics);
        FunctionEnvironments = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["SignalFunction"] = signalEnv,
            ["ExportFunction"] = exportEnv,
        };

        // The functions read their settings exactly as in Lambda, from these variables.
        SignalSettings = SignalSettings.Read(new EnvironmentReader(signalEnv.GetValueOrDefault));
        ExportSettings = ExportSettings.Read(new EnvironmentReader(exportEnv.GetValueOrDefault));
    }

    /// <summary>ApproximateNumberOfMessages + NotVisible + Delayed.</summary>
    public async Task<int> DepthAsync(Uri queueUrl, CancellationToken ct)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(
            queueUrl.ToString(),
            ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
            ct).ConfigureAwait(false);
        return attributes.ApproximateNumberOfMessages
            + attributes.ApproximateNumberOfMessagesNotVisible
            + attributes.ApproximateNumberOfMessagesDelayed;
    }

    public async ValueTask DisposeAsync()
    {
        await Front.DisposeAsync().ConfigureAwait(false);
        S3.Dispose();
        Sqs.Dispose();
        Logs.Dispose();
    }

    /// <summary>
    /// What CloudWatch Logs needs to write exports under <paramref name="prefix"/> (the statements of docs/operations.md, "Using an existing bucket"; moto
    /// does not check it, the <see cref="CloudWatchLogsFront"/> does, as AWS does). A prefix of <c>*</c> allows any prefix.
    /// </summary>
    public static string ExportBucketPolicy(string bucket, string prefix) => $$"""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": { "Service": "logs.{{Region}}.amazonaws.com" },
              "Action": "s3:GetBucketAcl",
              "Resource": "arn:aws:s3:::{{bucket}}",
              "Condition": { "StringEquals": { "aws:SourceAccount": "{{AccountId}}" }, "ArnLike": { "aws:SourceArn": "arn:aws:logs:{{Region}}:{{AccountId}}:log-group:*" } }
            },
            {
              "Effect": "Allow",
              "Principal": { "Service": "logs.{{Region}}.amazonaws.com" },
              "Action": "s3:PutObject",
              "Resource": "arn:aws:s3:::{{bucket}}/{{prefix.Trim('/')}}/*",
              "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "{{AccountId}}" }, "ArnLike": { "aws:SourceArn": "arn:aws:logs:{{Region}}:{{AccountId}}:log-group:*" } }
            }
          ]
        }
        """;
}
