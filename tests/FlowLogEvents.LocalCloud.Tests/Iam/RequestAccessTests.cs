using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Local.Iam;

namespace FlowLogEvents.Tests.Iam;

/// <summary>Each classified request maps to the IAM actions and resource ARNs of the Service Authorization Reference.</summary>
public sealed class RequestAccessTests
{
    private static AwsRequestInfo S3(string operation, string? key, string? copySource = null) =>
        new() { Service = "s3", Operation = operation, HttpMethod = "GET", Bucket = "b", Key = key, CopySource = copySource, Region = "us-east-1" };

    [Theory]
    [InlineData("GetObject", "state/g.json", "s3:GetObject", "arn:aws:s3:::b/state/g.json")]
    [InlineData("HeadObject", "state/g.json", "s3:GetObject", "arn:aws:s3:::b/state/g.json")]
    [InlineData("PutObject", "state/g.json", "s3:PutObject", "arn:aws:s3:::b/state/g.json")]
    [InlineData("DeleteObject", "state/g.json", "s3:DeleteObject", "arn:aws:s3:::b/state/g.json")]
    [InlineData("ListObjectsV2", null, "s3:ListBucket", "arn:aws:s3:::b")]
    [InlineData("ListObjects", null, "s3:ListBucket", "arn:aws:s3:::b")]
    public void For_S3Operation_ActionOnObjectOrBucketArn(string operation, string? key, string action, string resource)
    {
        Assert.Equal([new IamAccess(action, resource)], RequestAccess.For(S3(operation, key)));
    }

    [Fact]
    public void For_CopyObject_GetObjectOnTheSourceAndPutObjectOnTheDestination()
    {
        var accesses = RequestAccess.For(S3("CopyObject", "state/quarantine/g.json", "/b/state/g%20x.json?versionId=1"));

        Assert.Equal([new IamAccess("s3:GetObject", "arn:aws:s3:::b/state/g x.json"), new IamAccess("s3:PutObject", "arn:aws:s3:::b/state/quarantine/g.json")], accesses);
    }

    [Theory]
    [InlineData("SendMessage")]
    [InlineData("ReceiveMessage")]
    [InlineData("DeleteMessage")]
    [InlineData("GetQueueAttributes")]
    public void For_SqsOperation_ActionOnTheQueueArn(string operation)
    {
        var request = new AwsRequestInfo { Service = "sqs", Operation = operation, HttpMethod = "POST", Region = "us-east-1", QueueUrl = "http://127.0.0.1:5000/123456789012/signals.fifo" };

        Assert.Equal([new IamAccess("sqs:" + operation, "arn:aws:sqs:us-east-1:123456789012:signals.fifo")], RequestAccess.For(request));
    }

    [Fact]
    public void For_CreateExportTask_BothLogGroupArnForms()
    {
        var request = new AwsRequestInfo { Service = "logs", Operation = "CreateExportTask", HttpMethod = "POST", Region = "us-east-1", LogGroupName = "/vpc/a" };

        Assert.Equal(
            [new IamAccess("logs:CreateExportTask", "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a"), new IamAccess("logs:CreateExportTask", "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a:*")],
            RequestAccess.For(request));
    }

    [Theory]
    [InlineData("StartQuery")]
    [InlineData("FilterLogEvents")]
    public void For_VerificationReadOfALogGroup_BothLogGroupArnForms(string operation)
    {
        var request = new AwsRequestInfo { Service = "logs", Operation = operation, HttpMethod = "POST", Region = "us-east-1", LogGroupName = "/vpc/a" };

        Assert.Equal(
            [new IamAccess("logs:" + operation, "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a"), new IamAccess("logs:" + operation, "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/a:*")],
            RequestAccess.For(request));
    }

    [Fact]
    public void For_StartQueryWithoutLogGroupName_NullSoTheAuthorizerDenies()
    {
        Assert.Null(RequestAccess.For(new AwsRequestInfo { Service = "logs", Operation = "StartQuery", HttpMethod = "POST", Region = "us-east-1" }));
    }

    [Theory]
    [InlineData("GetQueryResults")]
    [InlineData("StopQuery")]
    [InlineData("DescribeExportTasks")]
    [InlineData("DescribeLogGroups")]
    public void For_LogsDescribeOperation_ActionOnStar(string operation)
    {
        var request = new AwsRequestInfo { Service = "logs", Operation = operation, HttpMethod = "POST", Region = "us-east-1" };

        Assert.Equal([new IamAccess("logs:" + operation, "*")], RequestAccess.For(request));
    }

    [Theory]
    [InlineData("s3", "GetBucketPolicy")]
    [InlineData("logs", "PutLogEvents")]
    [InlineData("unknown", "POST")]
    public void For_OperationNotInTheTable_Null(string service, string operation)
    {
        Assert.Null(RequestAccess.For(new AwsRequestInfo { Service = service, Operation = operation, HttpMethod = "POST", Bucket = "b" }));
    }
}
