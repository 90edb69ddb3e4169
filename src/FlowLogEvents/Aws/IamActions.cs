namespace FlowLogEvents.Aws;

/// <summary>
/// The IAM actions the code needs, declared in one place. Each adapter lists the actions of the AWS
/// operations it calls (<c>RequiredActions</c>); each function's set is the union over the adapters
/// it builds. Tests check these lists against the code (an IL scan of the AWS client calls and a
/// recording of the operations real flows send) and against the roles in <c>serverless.template</c>.
/// </summary>
public static class IamActions
{
    public const string SqsSendMessage = "sqs:SendMessage";
    public const string S3GetObject = "s3:GetObject";
    public const string S3PutObject = "s3:PutObject";
    public const string S3ListBucket = "s3:ListBucket";
    public const string LogsCreateExportTask = "logs:CreateExportTask";
    public const string LogsDescribeExportTasks = "logs:DescribeExportTasks";
    public const string LogsDescribeLogGroups = "logs:DescribeLogGroups";
    public const string LogsFilterLogEvents = "logs:FilterLogEvents";
    public const string LogsGetQueryResults = "logs:GetQueryResults";
    public const string LogsStartQuery = "logs:StartQuery";
    public const string LogsStopQuery = "logs:StopQuery";
    public const string KmsDecrypt = "kms:Decrypt";
    public const string KmsGenerateDataKey = "kms:GenerateDataKey";

    /// <summary>
    /// Actions the code needs without calling an operation of that name, per adapter, and why. They are the
    /// only declared actions a scan or recording of that adapter's calls does not show.
    /// </summary>
    public static IReadOnlyList<ImpliedAction> Implied { get; } =
    [
        new(nameof(S3CheckpointStore), S3ListBucket, "GetObject of a missing checkpoint answers 404 (not 403) only with s3:ListBucket on the bucket"),
        new(nameof(CloudWatchExportTasks), S3PutObject, "CreateExportTask: \"you must use credentials that have permission to write to the S3 bucket that you specify as the destination\" (API reference): s3:PutObject on <bucket>/<ExportPrefix>/*"),
    ];

    /// <summary>Whether <paramref name="action"/> is one <paramref name="adapter"/> needs without calling it (<see cref="Implied"/>).</summary>
    public static bool IsImplied(string adapter, string action) =>
        Implied.Any(i => i.Adapter == adapter && i.Action == action);

    /// <summary>
    /// Actions the Service Authorization Reference lists without a resource type: a policy can only
    /// grant them on <c>"*"</c>. Every other action must name its resources.
    /// </summary>
    public static IReadOnlySet<string> WithoutResourceLevelPermissions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        LogsDescribeExportTasks,
        LogsDescribeLogGroups,
        LogsGetQueryResults,
        LogsStopQuery,
    };

    /// <summary>
    /// Needed only when the bucket encrypts with a customer-managed KMS key (SSE-KMS): S3 calls KMS on the
    /// function's behalf when it reads and writes checkpoints, and CreateExportTask's caller must be able to
    /// write to the destination (which under SSE-KMS takes kms:GenerateDataKey on the bucket's key).
    /// </summary>
    public static IReadOnlyList<string> StateBucketKms { get; } = [KmsDecrypt, KmsGenerateDataKey];

    /// <summary>What the signal function's role must allow for the code (runtime logging aside).</summary>
    public static IReadOnlySet<string> SignalFunction { get; } = Union(SqsQueueSender.RequiredActions);

    /// <summary>What the export function's role must allow for the code (runtime logging and the event source mapping aside).</summary>
    public static IReadOnlySet<string> ExportFunction { get; } = Union(
        S3CheckpointStore.RequiredActions,
        CloudWatchExportTasks.RequiredActions,
        CloudWatchLogEventSource.RequiredActions,
        S3ExportedObjects.RequiredActions,
        SqsQueueSender.RequiredActions);

    private static HashSet<string> Union(params IReadOnlyList<string>[] lists) =>
        new(lists.SelectMany(l => l), StringComparer.Ordinal);
}
