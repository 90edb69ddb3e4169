using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

public sealed class BatchItemFailure
{
    [JsonPropertyName("itemIdentifier")]
    public required string ItemIdentifier { get; set; }
}
