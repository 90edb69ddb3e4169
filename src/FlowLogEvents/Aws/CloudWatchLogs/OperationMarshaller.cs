using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace FlowLogEvents.Aws.CloudWatchLogs;

/// <summary>AWS JSON 1.1 request marshaller shared by every operation: <c>POST /</c>, X-Amz-Target, camelCase JSON body.</summary>
internal sealed class OperationMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    private const string ContentType = "application/x-amz-json-1.1";

    public static OperationMarshaller Instance { get; } = new();

    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var operation = (OperationRequest)input;
        var request = new DefaultRequest(operation, CloudWatchLogsConfig.ServiceIdentifier)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = operation.SerializeBody(),
        };
        request.Headers["X-Amz-Target"] = CloudWatchLogsOperations.TargetPrefix + operation.Operation;
        request.Headers["Content-Type"] = ContentType;
        return request;
    }
}
