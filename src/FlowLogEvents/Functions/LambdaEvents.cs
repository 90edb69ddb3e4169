using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

/// <summary>The SQS event the Lambda event source mapping delivers (only what we read).</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsEventRecord>? Records { get; set; }
}

public sealed class SqsEventRecord
{
    [JsonPropertyName("messageId")]
    public string? MessageId { get; set; }

    [JsonPropertyName("body")]
    public string? Body { get; set; }

    [JsonPropertyName("attributes")]
    public Dictionary<string, string>? Attributes { get; set; }

    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; set; }
}

/// <summary>The partial batch response (<c>ReportBatchItemFailures</c>).</summary>
public sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<BatchItemFailure> BatchItemFailures { get; set; } = [];
}

public sealed class BatchItemFailure
{
    [JsonPropertyName("itemIdentifier")]
    public required string ItemIdentifier { get; set; }
}

/// <summary>What the signal function answers (asynchronous invocations discard it; tests and the local runner read it).</summary>
public sealed class SignalResponse
{
    [JsonPropertyName("result")]
    public required string Result { get; set; }

    [JsonPropertyName("logGroup")]
    public string? LogGroup { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(SignalResponse))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
