using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>One CloudWatch Logs call: the operation name and its JSON body with the source-generated type info to write it.</summary>
internal sealed class OperationRequest(string operation, object body, JsonTypeInfo bodyType) : AmazonWebServiceRequest
{
    public string Operation { get; } = operation;

    public byte[] SerializeBody() => JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
}
