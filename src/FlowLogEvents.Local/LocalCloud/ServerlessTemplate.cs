using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// What the local cloud takes from serverless.template (embedded in this assembly): the queues'
/// attributes and redrive policy, the event source mapping's batch size, the parameters' defaults,
/// and each function's environment variables with their Refs resolved.
/// </summary>
public sealed class ServerlessTemplate
{
    private readonly JsonElement _root;

    private ServerlessTemplate(JsonDocument document) => _root = document.RootElement;

    public static ServerlessTemplate Load()
    {
        using var stream = typeof(ServerlessTemplate).Assembly.GetManifestResourceStream("serverless.template")
            ?? throw new InvalidOperationException("serverless.template is not embedded in FlowLogEvents.Local");
        return Parse(stream);
    }

    /// <summary>
    /// The template as CloudFormation hands it to the SAM transform: <c>Fn::ForEach</c> loops expanded by
    /// <see cref="TemplateLanguageExtensions"/>. A loop over a parameter is refused: its copies would depend on the
    /// deployment's parameter values, which this type does not know.
    /// </summary>
    public static ServerlessTemplate Parse(Stream json)
    {
        var written = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("serverless.template is not a JSON object");
        var expanded = TemplateLanguageExtensions.Expand(written, parameter =>
            throw new InvalidOperationException($"serverless.template loops over parameter {parameter}: its expansion depends on the deployment"));
        return new(JsonDocument.Parse(expanded.ToJsonString()));
    }

    private JsonElement Resource(string logicalId) => _root.GetProperty("Resources").GetProperty(logicalId);

    private JsonElement Properties(string logicalId) => Resource(logicalId).GetProperty("Properties");

    /// <summary>An <c>AWS::Serverless::Function</c>'s Properties as declared (Handler, Timeout, MemorySize, ...).</summary>
    public JsonElement FunctionProperties(string logicalId) => Properties(logicalId);

    /// <summary>A queue's attributes (DelaySeconds, VisibilityTimeout, MessageRetentionPeriod, ...) as declared.</summary>
    public int QueueAttribute(string logicalId, string name, int fallback) =>
        Properties(logicalId).TryGetProperty(name, out var value) ? value.GetInt32() : fallback;

    /// <summary>maxReceiveCount of a queue's RedrivePolicy.</summary>
    public int MaxReceiveCount(string logicalId) =>
        Properties(logicalId).GetProperty("RedrivePolicy").GetProperty("maxReceiveCount").GetInt32();

    /// <summary>The logical id the RedrivePolicy's deadLetterTargetArn points at (Fn::GetAtt [id, Arn]).</summary>
    public string DeadLetterTarget(string logicalId) =>
        Properties(logicalId).GetProperty("RedrivePolicy").GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString()!;

    /// <summary>
    /// The function's <c>RecursiveLoop</c> (<c>Allow</c> or <c>Terminate</c>; Lambda's default, <c>Terminate</c>, when absent):
    /// whether Lambda stops the function's recursive loops.
    /// </summary>
    public string RecursiveLoop(string functionLogicalId) =>
        Properties(functionLogicalId).TryGetProperty("RecursiveLoop", out var value) ? value.GetString() ?? "Terminate" : "Terminate";

    /// <summary>
    /// The queue (logical id) of the function's asynchronous on-failure destination
    /// (<c>EventInvokeConfig.DestinationConfig.OnFailure</c> of type SQS, by <c>Fn::GetAtt</c>), or null when it has none.
    /// </summary>
    public string? OnFailureQueue(string functionLogicalId) =>
        Properties(functionLogicalId).TryGetProperty("EventInvokeConfig", out var config)
        && config.TryGetProperty("DestinationConfig", out var destinations)
        && destinations.TryGetProperty("OnFailure", out var onFailure)
        && onFailure.TryGetProperty("Type", out var type) && type.GetString() == "SQS"
        && onFailure.GetProperty("Destination").TryGetProperty("Fn::GetAtt", out var getAtt)
            ? getAtt[0].GetString()
            : null;

    /// <summary>The queues (logical ids, by <c>Fn::GetAtt</c>) of the function's SQS events, with their BatchSize (10 when absent).</summary>
    public IReadOnlyList<(string Queue, int BatchSize)> SqsEventSources(string functionLogicalId)
    {
        var sources = new List<(string, int)>();
        if (Properties(functionLogicalId).TryGetProperty("Events", out var events))
        {
            foreach (var evt in events.EnumerateObject().Where(e => e.Value.GetProperty("Type").GetString() == "SQS"))
            {
                var properties = evt.Value.GetProperty("Properties");
                sources.Add((
                    properties.GetProperty("Queue").GetProperty("Fn::GetAtt")[0].GetString()!,
                    properties.TryGetProperty("BatchSize", out var size) ? size.GetInt32() : 10));
            }
        }

        return sources;
    }

    /// <summary>BatchSize of the function's SQS event (10 when absent, as AWS defaults).</summary>
    public int SqsBatchSize(string functionLogicalId)
    {
        foreach (var evt in Properties(functionLogicalId).GetProperty("Events").EnumerateObject())
        {
            if (evt.Value.GetProperty("Type").GetString() == "SQS")
            {
                return evt.Value.GetProperty("Properties").TryGetProperty("BatchSize", out var size) ? size.GetInt32() : 10;
            }
        }

        throw new InvalidOperationException($"{functionLogicalId} has no SQS event in serverless.template");
    }

    public string? ParameterDefault(string name) =>
        _root.GetProperty("Parameters").TryGetProperty(name, out var p) && p.TryGetProperty("Default", out var d)
            ? d.ValueKind == JsonValueKind.Number ? d.GetRawText() : d.GetString()
            : null;

    /// <summary>The template's root object (for <see cref="TemplateIntrinsics"/>).</summary>
    public JsonElement Root => _root;

    /// <summary>A resource as declared (Type, Condition, Properties).</summary>
    public JsonElement ResourceDefinition(string logicalId) => Resource(logicalId);

    /// <summary>An intrinsic-function resolver over this template with a deployment's values.</summary>
    public TemplateIntrinsics Intrinsics(IReadOnlyDictionary<string, string> refs, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(_root, refs, attributes ?? new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// The function's environment variables, resolved by <see cref="TemplateIntrinsics"/>: <c>{"Ref": X}</c>
    /// through <paramref name="refs"/> (resources and parameter overrides), then the parameter's default;
    /// <c>Fn::If</c> over the template's Conditions the same way.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(string functionLogicalId, IReadOnlyDictionary<string, string> refs) =>
        Environment(functionLogicalId, Intrinsics(refs));

    public IReadOnlyDictionary<string, string> Environment(string functionLogicalId, TemplateIntrinsics intrinsics)
    {
        ArgumentNullException.ThrowIfNull(intrinsics);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = Properties(functionLogicalId).GetProperty("Environment").GetProperty("Variables");
        foreach (var variable in variables.EnumerateObject())
        {
            result[variable.Name] = TemplateIntrinsics.Scalar(intrinsics.Resolve(variable.Value))
                ?? throw new InvalidOperationException($"{functionLogicalId} variable {variable.Name}: unsupported value {variable.Value.GetRawText()}");
        }

        return result;
    }
}
