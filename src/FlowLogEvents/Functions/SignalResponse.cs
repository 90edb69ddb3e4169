using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

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
