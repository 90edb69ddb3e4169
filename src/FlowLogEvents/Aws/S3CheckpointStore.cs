using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Aws;

/// <summary>
/// One JSON object per log group at &lt;prefix&gt;/&lt;url-encoded log group&gt;.json, written with S3
/// conditional writes: <c>If-None-Match: *</c> to create, <c>If-Match: &lt;ETag&gt;</c> to replace.
/// </summary>
public sealed class S3CheckpointStore : ICheckpointStore
{
    /// <summary>The IAM actions of the operations this adapter calls, and ListBucket (see <see cref="IamActions.Implied"/>).</summary>
    public static IReadOnlyList<string> RequiredActions { get; } = [IamActions.S3GetObject, IamActions.S3PutObject, IamActions.S3ListBucket];

    /// <summary>Conditional writes tried per call while S3 answers 409 ConditionalRequestConflict.</summary>
    public const int ConflictAttempts = 4;

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3CheckpointStore(IAmazonS3 s3, string bucket, string prefix)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = prefix.Trim('/');
    }

    public string KeyOf(string logGroup) =>
        (_prefix.Length == 0 ? string.Empty : _prefix + "/") + Uri.EscapeDataString(logGroup) + ".json";

    public async Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct)
    {
        if (await ReadAsync(logGroup, ct).ConfigureAwait(false) is not (var body, var etag))
        {
            return null;
        }

        using (body)
        {
            return new StoredCheckpoint(CheckpointJson.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), logGroup), etag);
        }
    }

    /// <summary>The stored bytes of a log group's checkpoint (positioned at 0) and their ETag, or null when there is no object.</summary>
    private async Task<(MemoryStream Body, string ETag)?> ReadAsync(string logGroup, CancellationToken ct)
    {
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(_bucket, KeyOf(logGroup), ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using (response)
        {
            var body = new MemoryStream();
            await response.ResponseStream.CopyToAsync(body, ct).ConfigureAwait(false);
            body.Position = 0;
            return (body, response.ETag);
        }
    }

    public async Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct)
    {
        using var body = new MemoryStream(CheckpointJson.Serialize(checkpoint), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = KeyOf(checkpoint.LogGroup),
            InputStream = body,
            ContentType = "application/json",
        };
        if (expectedETag is null)
        {
            request.IfNoneMatch = "*";
        }
        else
        {
            request.IfMatch = expectedETag;
        }

        try
        {
            var response = await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
            return response.ETag;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // 412: the object changed (or exists); 409: a concurrent conditional write is in progress.
            return null;
        }
        catch (AmazonS3Exception ex) when (expectedETag is not null && ex.StatusCode == HttpStatusCode.NotFound)
        {
            // If-Match on a key that no longer exists: S3 (and moto) answer 404 NoSuchKey.
            throw new CheckpointMissingException($"checkpoint of '{checkpoint.LogGroup}' at s3://{_bucket}/{request.Key} was deleted while in use (If-Match {expectedETag} answered 404 {ex.ErrorCode})");
        }
    }

    /// <summary>The marker that says the log group has a checkpoint (see <see cref="MarkExportedAsync"/>).</summary>
    public string MarkerKeyOf(string logGroup) => KeyOf(logGroup) + ".exported";

    public async Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct)
    {
        using var body = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("logGroup", logGroup);
            json.WriteString("exportedSince", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("meaning", "this log group has a checkpoint; if the checkpoint is missing it was lost: restore it, or delete this marker too to start over");
            json.WriteEndObject();
        }

        body.Position = 0;
        try
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = MarkerKeyOf(logGroup), InputStream = body, ContentType = "application/json", IfNoneMatch = "*" }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // Already marked.
        }
    }

    public async Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, MarkerKeyOf(logGroup), ct).ConfigureAwait(false);
            return $"s3://{_bucket}/{MarkerKeyOf(logGroup)}";
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The key a stored version of a log group's checkpoint is copied to when it is unreadable.</summary>
    public string QuarantineKeyOf(string logGroup, string etag) => $"{KeyOf(logGroup)}.quarantine-{etag.Trim('"')}";

    public async Task<string?> QuarantineAsync(string logGroup, CancellationToken ct)
    {
        if (await ReadAsync(logGroup, ct).ConfigureAwait(false) is not (var body, var etag))
        {
            return null;
        }

        using (body)
        {
            var key = QuarantineKeyOf(logGroup, etag);
            var request = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = body,
                ContentType = "application/octet-stream",
                IfNoneMatch = "*",
            };
            try
            {
                await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                // This version is already quarantined.
            }

            return $"s3://{_bucket}/{key}";
        }
    }
}
