using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Functions;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Cold starts of the published package as Lambda runs it: for each package variant and function, fresh
/// execution environments (processes started by the local Lambda service, real clock) each answer one
/// real-shaped event against moto_server and the CloudWatch Logs front. Figures come from the service's
/// own counters (process start to the first <c>/next</c>, and to the first response) and the process's
/// peak resident set (<c>VmHWM</c>) after its first invocation; rounds interleave the variants.
/// </summary>
public static class ColdStartProbe
{
    private const string Owner = LocalCloudResources.AccountId;
    private const string Stream = "eni-0a1b2c3d4e5f60718-all";

    public sealed record Sample(string Variant, string Function, TimeSpan ToFirstNext, TimeSpan ToFirstResponse, long PeakKb, InvocationOutcome Outcome);

    public static async Task<IReadOnlyList<Sample>> RunAsync(Uri moto, IReadOnlyDictionary<string, string> variants, int rounds, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(progress);
        var runId = Guid.NewGuid().ToString("N")[..8];
        await using var cloud = await LocalCloudResources.StartAsync(moto, TimeProvider.System, new ExportTaskTiming(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), runId, ct).ConfigureAwait(false);
        var bucket = cloud.Bucket;
        await cloud.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct).ConfigureAwait(false);
        var queue = (await cloud.Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"coldstart-{runId}.fifo", Attributes = new() { ["FifoQueue"] = "true" } }, ct).ConfigureAwait(false)).QueueUrl;
        var dlq = (await cloud.Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"coldstart-dlq-{runId}.fifo", Attributes = new() { ["FifoQueue"] = "true" } }, ct).ConfigureAwait(false)).QueueUrl;
        var template = ServerlessTemplate.Load();
        var refs = new Dictionary<string, string>(StringComparer.Ordinal) { ["SignalQueue"] = queue, ["DeadLetterQueue"] = dlq, ["ExportBucketName"] = bucket, ["ExportFunctionLogGroup"] = "/aws/lambda/ExportFunction" };
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL"] = moto.ToString().TrimEnd('/'),
            ["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = cloud.Front.Endpoint.ToString().TrimEnd('/'),
        };

        var samples = new List<Sample>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (variant, directory) in variants)
            {
                // The export window an hour old, of a log group of its own, so that every run plans and creates a task.
                var logGroup = $"/vpc/coldstart-{runId}-{variant}-{round}";
                await cloud.Logs.CreateLogGroupAsync(logGroup, ct).ConfigureAwait(false);
                await cloud.Logs.CreateLogStreamAsync(logGroup, Stream, ct).ConfigureAwait(false);
                await cloud.Logs.PutLogEventsAsync(logGroup, Stream, [.. Enumerable.Range(0, 10).Select(i => new InputLogEvent(now - 3_600_000 + (i * 1000), FlowRecord(i, now)))], ct).ConfigureAwait(false);
                foreach (var (function, handler, payload, type) in new[]
                {
                    (FunctionProcesses.SignalFunctionName, FunctionHandlers.Signal, SignalEvent(logGroup, now), InvocationType.Event),
                    (FunctionProcesses.ExportFunctionName, FunctionHandlers.Export, ExportEvent(logGroup, now), InvocationType.RequestResponse),
                })
                {
                    var properties = template.FunctionProperties(function);
                    var definition = new FunctionDefinition(function, handler, TimeSpan.FromSeconds(properties.GetProperty("Timeout").GetInt32()), properties.GetProperty("MemorySize").GetInt32(), template.Environment(function, refs), directory, 1, type);
                    await using var lambda = new LambdaFunction(definition, new LambdaHostOptions { ExtraEnvironment = extra });
                    var result = await lambda.InvokeAsync(payload, null, ct).ConfigureAwait(false);
                    var peak = lambda.Environments.Select(e => PeakKb(e.ProcessId)).FirstOrDefault();
                    var timing = lambda.Counters.ColdStartTimings.Single();
                    if (round > 0)
                    {
                        // Round 0 warms the machine's file cache; it is not counted.
                        samples.Add(new Sample(variant, function, timing.ToFirstNext ?? TimeSpan.Zero, timing.ToFirstResponse ?? TimeSpan.Zero, peak, result.Outcome));
                    }

                    progress(string.Create(CultureInfo.InvariantCulture, $"round {round} {variant} {function}: {result.Outcome}, first /next {timing.ToFirstNext?.TotalMilliseconds:0} ms, first response {timing.ToFirstResponse?.TotalMilliseconds:0} ms, peak {peak / 1024.0:0.0} MB"));
                }
            }
        }

        return samples;
    }

    public static string Markdown(IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> variants)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(variants);
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| package | function | runs | to first /next, median (min-max) | to first response, median (min-max) | peak RSS, median | answered |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var group in samples.GroupBy(s => (s.Variant, s.Function)))
        {
            var next = group.Select(s => s.ToFirstNext.TotalMilliseconds).Order().ToList();
            var response = group.Select(s => s.ToFirstResponse.TotalMilliseconds).Order().ToList();
            var peak = group.Select(s => s.PeakKb).Order().ToList();
            md.AppendLine(inv, $"| {group.Key.Variant} | {group.Key.Function} | {group.Count()} | {next[next.Count / 2]:0} ms ({next[0]:0}-{next[^1]:0}) | {response[response.Count / 2]:0} ms ({response[0]:0}-{response[^1]:0}) | {peak[peak.Count / 2] / 1024.0:0.0} MB | {string.Join(", ", group.GroupBy(s => s.Outcome).Select(o => $"{o.Count()} {o.Key}"))} |");
        }

        md.AppendLine();
        md.AppendLine("| package | files | bytes unpacked | zip (deflate) |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (variant, directory) in variants)
        {
            var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".dbg", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
            md.AppendLine(inv, $"| {variant} | {files.Count} | {files.Sum(f => new FileInfo(f).Length):N0} | {ZipSize(directory, files):N0} |");
        }

        return md.ToString();
    }

    private static long ZipSize(string root, IReadOnlyList<string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                zip.CreateEntryFromFile(file, Path.GetRelativePath(root, file), CompressionLevel.Optimal);
            }
        }

        return buffer.Length;
    }

    private static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string FlowRecord(int i, long now) => string.Create(
        CultureInfo.InvariantCulture,
        $"2 {Owner} eni-0a1b2c3d4e5f60718 10.0.0.{i % 250} 10.0.1.5 443 {40000 + i} 6 10 840 {(now / 1000) - 600} {(now / 1000) - 540} ACCEPT OK");

    /// <summary>A 100-record subscription delivery, as CloudWatch Logs encodes it.</summary>
    private static byte[] SignalEvent(string logGroup, long now) => SubscriptionEncoder.DataMessage(
        Owner, logGroup, Stream, [.. Enumerable.Range(0, 100).Select(i => new SubscriptionEvent(SubscriptionEncoder.EventId(now - 600_000 + i, i), now - 600_000 + i, FlowRecord(i, now)))]);

    /// <summary>An SQS event with one data signal an hour old: a checkpoint is created and an export planned.</summary>
    private static byte[] ExportEvent(string logGroup, long now)
    {
        var window = now - 3_600_000 - (now % 60_000);
        var signal = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schema"] = 1, ["kind"] = "data", ["logGroup"] = logGroup, ["owner"] = Owner, ["logStream"] = Stream,
            ["firstEventTime"] = window - 60_000, ["lastEventTime"] = window + 30_000, ["eventCount"] = 10, ["windowStart"] = window, ["windowEnd"] = window + 60_000,
        });
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["Records"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["messageId"] = "c0ffee00-1111-4222-8333-444455556601", ["body"] = signal,
                    ["attributes"] = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1", ["MessageGroupId"] = "flowlogevents-exports" },
                    ["eventSource"] = "aws:sqs", ["eventSourceARN"] = $"arn:aws:sqs:us-east-1:{Owner}:coldstart.fifo",
                },
            },
        });
    }
}
