namespace FlowLogEvents.Tests.Template;

/// <summary>
/// A delivery the signal function gives up on is not gone: Lambda sends its invocation record to an on-failure
/// destination (a standard queue: Lambda does not deliver to FIFO queues), and the signal function drains it.
/// </summary>
public sealed class TemplateFailureDestinationTests
{
    [Fact]
    public void SignalFunction_OnFailureDestination_IsAStandardQueue()
    {
        var config = RepositoryFiles.Properties("SignalFunction")["EventInvokeConfig"]!;
        var onFailure = config["DestinationConfig"]!["OnFailure"]!;

        Assert.Equal("SQS", (string?)onFailure["Type"]);
        Assert.Equal("GetAtt:SignalFailureQueue.Arn", TemplateJson.Render(onFailure["Destination"]!));
        Assert.Equal("AWS::SQS::Queue", (string?)RepositoryFiles.Resource("SignalFailureQueue")["Type"]);
        Assert.Null(RepositoryFiles.Properties("SignalFailureQueue")["FifoQueue"]);
        Assert.Equal(2, (int)config["MaximumRetryAttempts"]!);
    }

    [Fact]
    public void SignalFunction_EventSourceMapping_DrainsTheFailureQueueWithReportBatchItemFailures()
    {
        var events = RepositoryFiles.Properties("SignalFunction")["Events"]!.AsObject();
        var sqs = Assert.Single(events).Value!;

        Assert.Equal("SQS", (string?)sqs["Type"]);
        Assert.Equal("GetAtt:SignalFailureQueue.Arn", TemplateJson.Render(sqs["Properties"]!["Queue"]!));
        Assert.Equal(["ReportBatchItemFailures"], sqs["Properties"]!["FunctionResponseTypes"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void SignalFailureQueue_Timing_OutlastsTheSignalFunctionAndKeepsRecords14Days()
    {
        var queue = RepositoryFiles.Properties("SignalFailureQueue");

        Assert.True((int)queue["VisibilityTimeout"]! >= 6 * (int)RepositoryFiles.Properties("SignalFunction")["Timeout"]!);
        Assert.Equal(1209600, (int)queue["MessageRetentionPeriod"]!);
    }
}
