using FlowLogEvents.Local.Gateway;

namespace FlowLogEvents.Local.Iam;

/// <summary>
/// The IAM actions and resource ARNs a classified request needs, per the Service Authorization Reference
/// (list_amazons3, list_amazonsqs, list_amazoncloudwatchlogs): S3 object operations on
/// <c>arn:aws:s3:::bucket/key</c> (HeadObject is authorised as s3:GetObject, CopyObject as s3:GetObject on the
/// source and s3:PutObject on the destination), listing on <c>arn:aws:s3:::bucket</c>; SQS operations on the
/// queue ARN; CloudWatch Logs CreateExportTask on the log group, whose ARN the CloudWatch Logs user guide gives
/// in two forms ("Both of the following are used": <c>log-group:name</c> and <c>log-group:name:*</c>) without
/// saying which one CreateExportTask is checked against, so both must be allowed (the harsher reading); StartQuery and
/// FilterLogEvents take the log-group resource type too and are read the same way (both forms); GetQueryResults,
/// StopQuery, DescribeExportTasks and DescribeLogGroups take no resource type (<c>*</c>). A StartQuery naming its log
/// groups in logGroupNames or logGroupIdentifiers (not logGroupName) is not classified with its groups and is denied.
/// </summary>
public static class RequestAccess
{
    /// <summary>What <paramref name="request"/> needs; null for an operation this table does not know (the authorizer denies it).</summary>
    public static IReadOnlyList<IamAccess>? For(AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var region = request.Region ?? LocalCloud.LocalCloudResources.Region;
        var account = LocalCloud.LocalCloudResources.AccountId;
        return request.Service switch
        {
            "s3" => S3(request),
            "sqs" => Sqs(request, region),
            "logs" => Logs(request, region, account),
            _ => null,
        };
    }

    public static string ObjectArn(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    public static string BucketArn(string bucket) => $"arn:aws:s3:::{bucket}";

    /// <summary><c>arn:aws:sqs:region:account:name</c> of a queue URL <c>https://host/account/name</c>.</summary>
    public static string? QueueArn(string? queueUrl, string region)
    {
        if (queueUrl is null || !Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.AbsolutePath.Trim('/').Split('/') is [var account, var name] ? $"arn:aws:sqs:{region}:{account}:{name}" : null;
    }

    public static string LogGroupArn(string region, string account, string logGroupName) => $"arn:aws:logs:{region}:{account}:log-group:{logGroupName}";

    private static IamAccess[]? S3(AwsRequestInfo r)
    {
        if (r.Bucket is not { } bucket)
        {
            return null;
        }

        var obj = r.Key is { } key ? ObjectArn(bucket, key) : null;
        return r.Operation switch
        {
            "GetObject" or "HeadObject" when obj is not null => [new("s3:GetObject", obj)],
            "PutObject" when obj is not null => [new("s3:PutObject", obj)],
            "DeleteObject" when obj is not null => [new("s3:DeleteObject", obj)],
            "CopyObject" when obj is not null && CopySourceArn(r.CopySource) is { } source => [new("s3:GetObject", source), new("s3:PutObject", obj)],
            "ListObjects" or "ListObjectsV2" => [new("s3:ListBucket", BucketArn(bucket))],
            _ => null,
        };
    }

    /// <summary>The object ARN of <c>x-amz-copy-source: /bucket/key</c> or <c>bucket/key</c> (percent-encoded, optional <c>?versionId=</c>).</summary>
    private static string? CopySourceArn(string? copySource)
    {
        if (copySource is null)
        {
            return null;
        }

        var path = Uri.UnescapeDataString(copySource.Split('?')[0]).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == path.Length - 1 ? null : ObjectArn(path[..slash], path[(slash + 1)..]);
    }

    private static IamAccess[]? Sqs(AwsRequestInfo r, string region) =>
        r.Operation is "SendMessage" or "ReceiveMessage" or "DeleteMessage" or "GetQueueAttributes" or "SendMessageBatch" or "DeleteMessageBatch" or "ChangeMessageVisibility"
            && QueueArn(r.QueueUrl, region) is { } queue
            // The batch operations are authorised as their single-message actions.
            ? [new("sqs:" + r.Operation.Replace("Batch", string.Empty, StringComparison.Ordinal), queue)]
            : null;

    private static IamAccess[]? Logs(AwsRequestInfo r, string region, string account) => r.Operation switch
    {
        "CreateExportTask" when r.LogGroupName is { } group =>
        [
            new("logs:CreateExportTask", LogGroupArn(region, account, group)),
            new("logs:CreateExportTask", LogGroupArn(region, account, group) + ":*"),
        ],
        "StartQuery" or "FilterLogEvents" when r.LogGroupName is { } group =>
        [
            new("logs:" + r.Operation, LogGroupArn(region, account, group)),
            new("logs:" + r.Operation, LogGroupArn(region, account, group) + ":*"),
        ],
        "GetQueryResults" or "StopQuery" => [new("logs:" + r.Operation, "*")],
        "DescribeExportTasks" => [new("logs:DescribeExportTasks", "*")],
        "DescribeLogGroups" => [new("logs:DescribeLogGroups", "*")],
        _ => null,
    };
}
