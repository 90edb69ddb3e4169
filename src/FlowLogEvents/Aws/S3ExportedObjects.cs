using System.IO.Compression;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Aws;

/// <summary>The export bucket for the verification: lists a window's objects, reads their lines, writes repairs create-only.</summary>
public sealed class S3ExportedObjects(IAmazonS3 s3, string bucket, TimeProvider? time = null) : IExportedObjects
{
    /// <summary>The IAM actions of the operations this adapter calls.</summary>
    public static IReadOnlyList<string> RequiredActions { get; } = [IamActions.S3GetObject, IamActions.S3ListBucket, IamActions.S3PutObject];

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, ct).ConfigureAwait(false);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return keys;
    }

    public async Task<(IReadOnlyList<string> Lines, long Bytes)> ReadLinesAsync(string key, CancellationToken ct)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, ct).ConfigureAwait(false);
        var lines = new List<string>();
        await using (var body = response.ResponseStream)
        await using (var gzip = new GZipStream(body, CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
            }
        }

        return (lines, response.ContentLength);
    }

    /// <summary>
    /// PutObject with <c>If-None-Match: *</c>: 412 says the key exists (false). A 409 ConditionalRequestConflict (a
    /// conflicting write of the key in flight) says nothing yet: tried again after a pause, as the checkpoint store does.
    /// </summary>
    public async Task<bool> TryCreateAsync(string key, byte[] content, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var body = new MemoryStream(content, writable: false);
            try
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = "application/gzip", IfNoneMatch = "*" }, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Conflict && attempt < S3CheckpointStore.ConflictAttempts)
            {
                await Task.Delay(S3CheckpointStore.ConflictPause * (1 << (attempt - 1)), time ?? TimeProvider.System, ct).ConfigureAwait(false);
            }
        }
    }
}
