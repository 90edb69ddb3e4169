namespace FlowLogEvents.Local.Iam;

/// <summary>
/// What CloudWatch Logs checks on the destination bucket's policy when an export task is created (user guide,
/// "Set permissions on an Amazon S3 bucket"): principal <c>logs.&lt;region&gt;.amazonaws.com</c> may
/// <c>s3:GetBucketAcl</c> on the bucket and <c>s3:PutObject</c> under the destination prefix. The request
/// carries <c>aws:SourceAccount</c> (the caller's account), <c>aws:SourceArn</c> (the log group's ARN),
/// <c>aws:SecureTransport</c> true and, for PutObject, <c>s3:x-amz-acl = bucket-owner-full-control</c>
/// (CloudWatch sets that ACL). PutObject is checked for the <c>aws-logs-write-test</c> object CloudWatch writes
/// at creation and for the whole prefix (<c>&lt;prefix&gt;/*</c> literally): a policy that allows only part of the
/// prefix would fail the task's later writes, so it fails here (the harsher reading).
/// </summary>
public static class ExportBucketPolicyCheck
{
    /// <summary>
    /// As CloudWatch Logs answers it: the message is quoted in user reports (Distributed-CellProfiler issue 144,
    /// aws/amazon-ecs-agent pull 5116); the type was InvalidParameterException in 2023 and AccessDeniedException
    /// in the 2026 report, which is used here.
    /// </summary>
    public const string GetBucketAclFailedMessage = "GetBucketAcl call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation.";

    /// <summary>Worded like the GetBucketAcl answer; no report quotes AWS's exact text for this case.</summary>
    public const string PutObjectFailedMessage = "PutObject call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation.";

    public const string ErrorType = "AccessDeniedException";

    /// <summary>Null when the policy lets CloudWatch Logs export there; otherwise the message CreateExportTask answers (with <see cref="ErrorType"/>).</summary>
    /// <param name="policy">The bucket policy; null when the bucket has none.</param>
    public static string? Failure(IamPolicy? policy, string region, string account, string logGroupName, string bucket, string destinationPrefix)
    {
        if (policy is null)
        {
            return GetBucketAclFailedMessage;
        }

        var principal = $"logs.{region}.amazonaws.com";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aws:SourceAccount"] = account,
            ["aws:SourceArn"] = RequestAccess.LogGroupArn(region, account, logGroupName),
            ["aws:SecureTransport"] = "true",
        };
        if (!IamEvaluator.Evaluate(policy, new IamRequestContext("s3:GetBucketAcl", RequestAccess.BucketArn(bucket), keys, principal)).Allowed)
        {
            return GetBucketAclFailedMessage;
        }

        var putKeys = new Dictionary<string, string>(keys, StringComparer.Ordinal) { ["s3:x-amz-acl"] = "bucket-owner-full-control" };
        var prefix = destinationPrefix.Trim('/');
        foreach (var key in new[] { $"{prefix}/aws-logs-write-test", $"{prefix}/*" })
        {
            if (!IamEvaluator.Evaluate(policy, new IamRequestContext("s3:PutObject", RequestAccess.ObjectArn(bucket, key), putKeys, principal)).Allowed)
            {
                return PutObjectFailedMessage;
            }
        }

        return null;
    }
}
