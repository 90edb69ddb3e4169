using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

/// <summary>The partial batch response (<c>ReportBatchItemFailures</c>).</summary>
public sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<BatchItemFailure> BatchItemFailures { get; set; } = [];
}
