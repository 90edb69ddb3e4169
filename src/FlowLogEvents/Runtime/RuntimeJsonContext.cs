using System.Text.Json.Serialization;

namespace FlowLogEvents.Runtime;

/// <summary>Source-generated serialization of what the runtime sends (no reflection: trim and Native AOT safe).</summary>
[JsonSerializable(typeof(LambdaError))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
