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

    /// <summary>The pause before the second attempt after a 409; it doubles for each further one.</summary>
    public static readonly TimeSpan ConflictPause = TimeSpan.FromMilliseconds(50);

    private readonly IAmazonS3 _s3;
    private readonly TimeProvider _time;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3CheckpointStore(IAmazonS3 s3, string bucket, string prefix, TimeProvider? time = null)
    {
        _s3 = s3;
        _time = time ?? TimeProvider.System;
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
        var key = KeyOf(checkpoint.LogGroup);
        try
        {
            return await PutConditionalAsync(key, CheckpointJson.Serialize(checkpoint), "application/json", expectedETag, expectedETag is null ? null : StillExpectedAsync, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (expectedETag is not null && ex.StatusCode == HttpStatusCode.NotFound)
        {
            // If-Match on a key that no longer exists: S3 (and moto) answer 404 NoSuchKey.
            throw new CheckpointMissingException($"checkpoint of '{checkpoint.LogGroup}' at s3://{_bucket}/{key} was deleted while in use (If-Match {expectedETag} answered 404 {ex.ErrorCode})");
        }

        // 409 on If-Match: S3 says fetch the ETag and retry. Unchanged: the racing write did not land, try again;
        // changed: another writer got there first (what 412 says); gone: as 404 above.
        async Task<bool> StillExpectedAsync()
        {
            if (await ReadAsync(checkpoint.LogGroup, ct).ConfigureAwait(false) is not (var body, var etag))
            {
                throw new CheckpointMissingException($"checkpoint of '{checkpoint.LogGroup}' at s3://{_bucket}/{key} was deleted while in use (If-Match {expectedETag} answered 409, then the object was gone)");
            }

            await body.DisposeAsync().ConfigureAwait(false);
            return etag == expectedETag;
        }
    }

    /// <summary>
    /// A conditional PutObject of <paramref name="body"/> at <paramref name="key"/>: <c>If-Match</c>
    /// <paramref name="ifMatch"/>, or <c>If-None-Match: *</c> when it is null. Returns the new ETag, or null when S3
    /// answers 412 (the condition does not hold). A 409 ConditionalRequestConflict ("a conflicting operation
    /// occurred ... fetch the object's ETag and retry the upload", PutObject API reference) says nothing about the
    /// condition: the write is tried again, up to <see cref="ConflictAttempts"/> times, after a short pause, and
    /// for If-Match only while <paramref name="stillExpected"/> finds the ETag unchanged (else null).
    /// </summary>
    /// <exception cref="S3ConditionalConflictException">Every attempt answered 409.</exception>
    private async Task<string?> PutConditionalAsync(string key, byte[] body, string contentType, string? ifMatch, Func<Task<bool>>? stillExpected, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var content = new MemoryStream(body, writable: false);
            var request = new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = content, ContentType = contentType };
            if (ifMatch is null)
            {
                request.IfNoneMatch = "*";
            }
            else
            {
                request.IfMatch = ifMatch;
            }

            try
            {
                var response = await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
                return response.ETag;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return null;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                if (attempt == ConflictAttempts)
                {
                    throw new S3ConditionalConflictException($"s3://{_bucket}/{key}: {ConflictAttempts} conditional writes ({(ifMatch is null ? "If-None-Match *" : "If-Match " + ifMatch)}) answered 409 {ex.ErrorCode}, another write of this key kept conflicting");
                }
            }

            await Task.Delay(ConflictPause * (1 << (attempt - 1)), _time, ct).ConfigureAwait(false);
            if (stillExpected is not null && !await stillExpected().ConfigureAwait(false))
            {
                return null;
            }
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

        // Null (412): already marked.
        await PutConditionalAsync(MarkerKeyOf(logGroup), body.ToArray(), "application/json", ifMatch: null, stillExpected: null, ct).ConfigureAwait(false);
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
            // Null (412): this version is already quarantined.
            await PutConditionalAsync(key, body.ToArray(), "application/octet-stream", ifMatch: null, stillExpected: null, ct).ConfigureAwait(false);
            return $"s3://{_bucket}/{key}";
        }
    }
}
