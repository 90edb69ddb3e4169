using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// What an AWS request is, read from its wire shape alone: the SigV4 credential scope (access key id,
/// region, service), the operation, and the resources it names (S3 bucket and URL-decoded key, SQS queue
/// URL, CloudWatch Logs log group), plus S3's conditional headers and the SDK's attempt number.
/// </summary>
public sealed record AwsRequestInfo
{
    /// <summary>Signing name of the credential scope (<c>s3</c>, <c>sqs</c>, <c>logs</c>, ...); <c>unknown</c> without a signature or a known target.</summary>
    public required string Service { get; init; }

    /// <summary>The API operation (<c>PutObject</c>, <c>SendMessage</c>, <c>CreateExportTask</c>, ...); the HTTP method when it cannot be told.</summary>
    public required string Operation { get; init; }

    public string? AccessKeyId { get; init; }

    public string? Region { get; init; }

    public string? Bucket { get; init; }

    /// <summary>The S3 object key, URL-decoded once (as the caller named it).</summary>
    public string? Key { get; init; }

    public string? QueueUrl { get; init; }

    public string? LogGroupName { get; init; }

    /// <summary>CloudWatch Logs CreateExportTask only: the <c>destination</c> bucket.</summary>
    public string? ExportDestination { get; init; }

    /// <summary>CloudWatch Logs CreateExportTask only: the <c>destinationPrefix</c> as sent (null when absent).</summary>
    public string? ExportDestinationPrefix { get; init; }

    public string? IfMatch { get; init; }

    public string? IfNoneMatch { get; init; }

    /// <summary>The <c>x-amz-copy-source</c> of a CopyObject / UploadPartCopy.</summary>
    public string? CopySource { get; init; }

    /// <summary>The SDK's attempt number (<c>amz-sdk-request: attempt=N</c>); 1 when the header is absent.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>SQS only: the request uses the AWS query protocol (form-encoded <c>Action=</c>) instead of AWS JSON 1.0.</summary>
    public bool QueryProtocol { get; init; }

    public required string HttpMethod { get; init; }

    public const string UnknownService = "unknown";

    /// <summary>Classifies <paramref name="request"/>, whose body is <paramref name="body"/> (the message's content is not read).</summary>
    public static AwsRequestInfo Classify(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        var query = ParseQuery(uri.IsAbsoluteUri ? uri.Query : string.Empty);
        var target = Header(request, "X-Amz-Target");
        var (accessKeyId, region, scopeService) = CredentialScope(Header(request, "Authorization"), query);
        var service = scopeService
            ?? (target?.StartsWith("Logs_", StringComparison.Ordinal) == true ? "logs"
                : target?.StartsWith("AmazonSQS.", StringComparison.Ordinal) == true ? "sqs"
                : UnknownService);
        var info = new AwsRequestInfo
        {
            Service = service,
            Operation = request.Method.Method,
            HttpMethod = request.Method.Method,
            AccessKeyId = accessKeyId,
            Region = region,
            Attempt = ParseAttempt(Header(request, "amz-sdk-request")),
        };
        return service switch
        {
            "s3" => ClassifyS3(info, request, uri, query),
            "sqs" => ClassifySqs(info, request, uri, query, target, body),
            "logs" => ClassifyLogs(info, target, body),
            _ => target is null ? info : info with { Operation = AfterLastDot(target) },
        };
    }

    private static AwsRequestInfo ClassifyS3(AwsRequestInfo info, HttpRequestMessage request, Uri uri, Dictionary<string, string> query)
    {
        // Path style: /<bucket>/<key>, both percent-encoded once by the SDK.
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var trimmed = path.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var bucket = trimmed.Length == 0 ? null : Uri.UnescapeDataString(slash < 0 ? trimmed : trimmed[..slash]);
        var key = slash < 0 || slash == trimmed.Length - 1 ? null : Uri.UnescapeDataString(trimmed[(slash + 1)..]);
        var copySource = Header(request, "x-amz-copy-source");
        var operation = query.TryGetValue("x-id", out var xid) && xid.Length > 0 ? xid
            : bucket is null ? (info.HttpMethod == "GET" ? "ListBuckets" : info.HttpMethod)
            : key is null ? S3BucketOperation(info.HttpMethod, query)
            : S3ObjectOperation(info.HttpMethod, query, copySource is not null);
        return info with
        {
            Operation = operation,
            Bucket = bucket,
            Key = key,
            CopySource = copySource,
            IfMatch = Header(request, "If-Match"),
            IfNoneMatch = Header(request, "If-None-Match"),
        };
    }

    private static string S3ObjectOperation(string method, Dictionary<string, string> query, bool copy)
    {
        var part = query.ContainsKey("partNumber") && query.ContainsKey("uploadId");
        return method switch
        {
            "GET" when query.ContainsKey("uploadId") => "ListParts",
            "GET" when query.ContainsKey("acl") => "GetObjectAcl",
            "GET" when query.ContainsKey("tagging") => "GetObjectTagging",
            "GET" when query.ContainsKey("attributes") => "GetObjectAttributes",
            "GET" => "GetObject",
            "HEAD" => "HeadObject",
            "PUT" when part => copy ? "UploadPartCopy" : "UploadPart",
            "PUT" when query.ContainsKey("acl") => "PutObjectAcl",
            "PUT" when query.ContainsKey("tagging") => "PutObjectTagging",
            "PUT" => copy ? "CopyObject" : "PutObject",
            "DELETE" when query.ContainsKey("uploadId") => "AbortMultipartUpload",
            "DELETE" when query.ContainsKey("tagging") => "DeleteObjectTagging",
            "DELETE" => "DeleteObject",
            "POST" when query.ContainsKey("uploads") => "CreateMultipartUpload",
            "POST" when query.ContainsKey("uploadId") => "CompleteMultipartUpload",
            "POST" when query.ContainsKey("restore") => "RestoreObject",
            var other => other,
        };
    }

    // Bucket sub-resources, in the order S3 documents them; the first present names the operation.
    private static readonly string[] BucketSubresources =
        ["acl", "cors", "encryption", "lifecycle", "location", "logging", "notification", "ownershipControls", "policy", "publicAccessBlock", "replication", "tagging", "versioning", "website"];

    private static string S3BucketOperation(string method, Dictionary<string, string> query)
    {
        if (method == "GET" && query.TryGetValue("list-type", out var listType) && listType == "2")
        {
            return "ListObjectsV2";
        }

        if (method == "GET" && query.ContainsKey("versions"))
        {
            return "ListObjectVersions";
        }

        if (method == "GET" && query.ContainsKey("uploads"))
        {
            return "ListMultipartUploads";
        }

        if (method == "POST" && query.ContainsKey("delete"))
        {
            return "DeleteObjects";
        }

        var sub = BucketSubresources.FirstOrDefault(query.ContainsKey);
        if (sub is not null)
        {
            var name = char.ToUpperInvariant(sub[0]) + sub[1..];
            return method switch
            {
                "GET" => "GetBucket" + name,
                "PUT" => "PutBucket" + name,
                "DELETE" => "DeleteBucket" + name,
                var other => other,
            };
        }

        return method switch
        {
            "GET" => "ListObjects",
            "HEAD" => "HeadBucket",
            "PUT" => "CreateBucket",
            "DELETE" => "DeleteBucket",
            var other => other,
        };
    }

    private static AwsRequestInfo ClassifySqs(AwsRequestInfo info, HttpRequestMessage request, Uri uri, Dictionary<string, string> query, string? target, ReadOnlySpan<byte> body)
    {
        if (target is not null)
        {
            // AWS JSON 1.0 (AWSSDK.SQS 3.7.300 and later): POST /, X-Amz-Target: AmazonSQS.<Operation>, QueueUrl in the body.
            return info with { Operation = AfterLastDot(target), QueueUrl = JsonString(body, "QueueUrl") };
        }

        // AWS query protocol: Action and QueueUrl form-encoded in the body (or the query string); the queue
        // may instead be the request's path (/<account>/<queue>).
        var form = request.Content?.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded"
            ? ParseQuery(Encoding.UTF8.GetString(body))
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? query.GetValueOrDefault("Action");
        var queueUrl = form.GetValueOrDefault("QueueUrl") ?? query.GetValueOrDefault("QueueUrl");
        if (queueUrl is null && uri.IsAbsoluteUri && uri.AbsolutePath.Trim('/').Split('/') is [_, _])
        {
            queueUrl = uri.GetLeftPart(UriPartial.Path);
        }

        return info with { Operation = action ?? info.Operation, QueueUrl = queueUrl, QueryProtocol = action is not null };
    }

    private static AwsRequestInfo ClassifyLogs(AwsRequestInfo info, string? target, ReadOnlySpan<byte> body) =>
        target is null ? info : info with
        {
            Operation = AfterLastDot(target),
            LogGroupName = JsonString(body, "logGroupName"),
            ExportDestination = JsonString(body, "destination"),
            ExportDestinationPrefix = JsonString(body, "destinationPrefix"),
        };

    /// <summary>(access key id, region, service) of <c>Credential=AKID/date/region/service/aws4_request</c>, from the header or a presigned URL.</summary>
    private static (string? AccessKeyId, string? Region, string? Service) CredentialScope(string? authorization, Dictionary<string, string> query)
    {
        string? credential = null;
        if (authorization is not null)
        {
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start >= 0)
            {
                credential = authorization[(start + "Credential=".Length)..].Split(',')[0].Trim();
            }
        }

        credential ??= query.GetValueOrDefault("X-Amz-Credential");
        if (credential is null)
        {
            return (null, null, null);
        }

        var scope = credential.Split('/');
        return scope.Length >= 5 ? (scope[0], scope[2], scope[3]) : (scope[0], null, null);
    }

    private static int ParseAttempt(string? sdkRequest)
    {
        // amz-sdk-request: attempt=2; max=3
        foreach (var part in (sdkRequest ?? string.Empty).Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("attempt=", StringComparison.Ordinal) && int.TryParse(part.AsSpan("attempt=".Length), System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }

        return 1;
    }

    private static string? Header(HttpRequestMessage request, string name)
    {
        if (request.Headers.TryGetValues(name, out var values) || (request.Content?.Headers.TryGetValues(name, out values) ?? false))
        {
            return string.Join(",", values);
        }

        return null;
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(eq < 0 ? pair : pair[..eq]);
            result.TryAdd(name, eq < 0 ? string.Empty : Unescape(pair[(eq + 1)..]));
        }

        return result;
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static string AfterLastDot(string target) => target[(target.LastIndexOf('.') + 1)..];

    private static string? JsonString(ReadOnlySpan<byte> body, string member)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMember = reader.ValueTextEquals(member);
                if (!reader.Read())
                {
                    return null;
                }

                if (isMember && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the request names no such member.
        }

        return null;
    }
}
