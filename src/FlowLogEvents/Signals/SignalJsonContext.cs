using System.Text.Json.Serialization;

namespace FlowLogEvents.Signals;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Signal))]
internal sealed partial class SignalJsonContext : JsonSerializerContext;
