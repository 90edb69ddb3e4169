using System.Text.Json.Serialization;

namespace FlowLogEvents.Functions;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(SignalResponse))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
