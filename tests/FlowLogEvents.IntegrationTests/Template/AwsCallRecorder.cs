using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Records the IAM action of every AWS request the SDK sends from the current async flow. Registered
/// once as a global SDK pipeline customizer: every client built afterwards (AWSSDK clients and our
/// own CloudWatch Logs client, which runs on the same AmazonServiceClient pipeline) gets an outermost
/// handler that records one entry per API call (retries happen inside it). Only flows inside
/// <see cref="Start"/> are recorded, so tests running in parallel do not mix.
/// </summary>
public sealed class AwsCallRecorder : IRuntimePipelineCustomizer
{
    private static readonly AsyncLocal<ConcurrentQueue<string>?> Current = new();
    private static readonly Lazy<AwsCallRecorder> Registered = new(() =>
    {
        var recorder = new AwsCallRecorder();
        RuntimePipelineCustomizerRegistry.Instance.Register(recorder);
        return recorder;
    });

    private AwsCallRecorder()
    {
    }

    public string UniqueName => "FlowLogEvents.Tests.AwsCallRecorder";

    /// <summary>Call before building the clients to record; returns the queue this flow records into.</summary>
    public static ConcurrentQueue<string> Start()
    {
        _ = Registered.Value;
        var calls = new ConcurrentQueue<string>();
        Current.Value = calls;
        return calls;
    }

    public static void Stop() => Current.Value = null;

    /// <summary>Makes sure clients built from now on carry the recording handler.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public void Customize(Type type, RuntimePipeline pipeline) => pipeline.AddHandler(new RecordingHandler());

    /// <summary>"s3:GetObject" from the client's signing name and the request class name.</summary>
    public static string ActionOf(IRequestContext context)
    {
        var service = context.ClientConfig.AuthenticationServiceName;
        if (string.IsNullOrEmpty(service))
        {
            service = context.ClientConfig.RegionEndpointServiceName;
        }

        // Our CloudWatch Logs client sends every operation as one request type that carries its name.
        var operation = context.OriginalRequest is FlowLogEvents.Aws.CloudWatchLogs.OperationRequest logs
            ? logs.Operation
            : context.RequestName ?? context.OriginalRequest.GetType().Name;
        if (operation.EndsWith("Request", StringComparison.Ordinal))
        {
            operation = operation[..^"Request".Length];
        }

        return $"{service}:{operation}";
    }

    private sealed class RecordingHandler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Current.Value?.Enqueue(ActionOf(executionContext.RequestContext));
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Current.Value?.Enqueue(ActionOf(executionContext.RequestContext));
            return base.InvokeAsync<T>(executionContext);
        }
    }
}
