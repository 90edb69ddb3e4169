using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

/// <summary>The SQS event the Lambda event source mapping delivers (only what we read).</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsEventRecord>? Records { get; set; }
}
