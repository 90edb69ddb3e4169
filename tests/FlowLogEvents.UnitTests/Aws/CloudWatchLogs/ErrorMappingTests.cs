using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class ErrorMappingTests
{
    [Theory]
    [InlineData("ResourceNotFoundException")]
    [InlineData("com.amazonaws.logs#ResourceNotFoundException")]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.logs/")]
    public async Task CreateLogStreamAsync_ResourceNotFoundType_ThrowsTypedException(string type)
    {
        using var server = new StubLogsServer(
            HttpStatusCode.BadRequest, $$"""{"__type":"{{type}}","message":"The specified log group does not exist."}""");
        using var client = server.CreateClient(maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.CreateLogStreamAsync("/missing", "s", CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal("The specified log group does not exist.", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        // JSON 1.1 error bodies carry no sender/receiver field; generated SDK clients report Unknown too.
        Assert.Equal(ErrorType.Unknown, error.ErrorType);
        Assert.Equal("stub-request-id", error.RequestId);
    }

    [Theory]
    [InlineData("InvalidParameterException", typeof(InvalidParameterException))]
    [InlineData("LimitExceededException", typeof(LimitExceededException))]
    [InlineData("OperationAbortedException", typeof(OperationAbortedException))]
    [InlineData("ResourceAlreadyExistsException", typeof(ResourceAlreadyExistsException))]
    [InlineData("ResourceNotFoundException", typeof(ResourceNotFoundException))]
    [InlineData("ServiceUnavailableException", typeof(ServiceUnavailableException))]
    [InlineData("ThrottlingException", typeof(CloudWatchLogsException))]
    [InlineData("InvalidOperationException", typeof(CloudWatchLogsException))]
    public void Create_ErrorCode_MapsToExceptionType(string code, Type expected)
    {
        var error = CloudWatchLogsErrors.Create(
            new ErrorResponse { Code = code, Message = "m", Type = ErrorType.Unknown, RequestId = "r" }, null, HttpStatusCode.BadRequest);

        Assert.IsType(expected, error);
        Assert.Equal((code, "m", "r", HttpStatusCode.BadRequest), (error.ErrorCode, error.Message, error.RequestId, error.StatusCode));
    }

    [Fact]
    public async Task CreateLogGroupAsync_UnmodelledError_ThrowsBaseTypeWithErrorCode()
    {
        using var server = new StubLogsServer(HttpStatusCode.BadRequest, """{"__type":"AccessDeniedException","message":"no"}""");
        using var client = server.CreateClient(maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<CloudWatchLogsException>(() => client.CreateLogGroupAsync("/g", CancellationToken.None));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal("no", error.Message);
    }
}
