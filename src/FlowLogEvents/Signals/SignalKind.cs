using System.Text.Json.Serialization;

namespace FlowLogEvents.Signals;

[JsonConverter(typeof(JsonStringEnumConverter<SignalKind>))]
public enum SignalKind
{
    [JsonStringEnumMemberName("data")]
    Data,

    [JsonStringEnumMemberName("continuation")]
    Continuation,
}
