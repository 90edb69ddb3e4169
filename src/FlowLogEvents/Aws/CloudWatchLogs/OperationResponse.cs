using Amazon.Runtime;

namespace FlowLogEvents.Aws.CloudWatchLogs;

internal sealed class OperationResponse<T> : AmazonWebServiceResponse
{
    public T? Result { get; set; }
}
