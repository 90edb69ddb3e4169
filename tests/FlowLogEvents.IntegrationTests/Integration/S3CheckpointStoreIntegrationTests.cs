using Amazon.S3.Model;
using FlowLogEvents.Aws;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class S3CheckpointStoreIntegrationTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(S3CheckpointStore Store, Amazon.S3.AmazonS3Client S3, string Bucket)> NewStoreAsync()
    {
        var s3 = AwsTestClients.S3(moto);
        var bucket = "state-" + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket);
        return (new S3CheckpointStore(s3, bucket, "flowlogevents/state/"), s3, bucket);
    }

    [Fact]
    public async Task LoadAsync_NoObject_ReturnsNull()
    {
        var (store, s3, _) = await NewStoreAsync();
        using (s3)
        {
            Assert.Null(await store.LoadAsync("/vpc/flow-logs", CancellationToken.None));
        }
    }

    [Fact]
    public async Task TryWriteAsync_CreateThenLoad_RoundTripsUnderEncodedKey()
    {
        var (store, s3, bucket) = await NewStoreAsync();
        using (s3)
        {
            var checkpoint = Checkpoint.Start("/vpc/flow-logs", 1764166680000, Now);

            var etag = await store.TryWriteAsync(checkpoint, null, CancellationToken.None);
            var loaded = await store.LoadAsync("/vpc/flow-logs", CancellationToken.None);

            Assert.NotNull(etag);
            Assert.Equal(checkpoint, loaded!.Value);
            Assert.Equal(etag, loaded.ETag);
            var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            Assert.Equal("flowlogevents/state/%2Fvpc%2Fflow-logs.json", Assert.Single(listed.S3Objects).Key);
        }
    }

    [Fact]
    public async Task TryWriteAsync_CreateWhenObjectExists_Gets412AndReturnsNull()
    {
        var (store, s3, _) = await NewStoreAsync();
        using (s3)
        {
            var checkpoint = Checkpoint.Start("/vpc/a", 1000, Now);
            Assert.NotNull(await store.TryWriteAsync(checkpoint, null, CancellationToken.None));

            var second = await store.TryWriteAsync(checkpoint with { ExportedThrough = 5000 }, null, CancellationToken.None);

            Assert.Null(second);
            Assert.Equal(999, (await store.LoadAsync("/vpc/a", CancellationToken.None))!.Value.ExportedThrough);
        }
    }

    [Fact]
    public async Task TryWriteAsync_StaleETag_Gets412AndKeepsTheNewerObject()
    {
        var (store, s3, _) = await NewStoreAsync();
        using (s3)
        {
            var checkpoint = Checkpoint.Start("/vpc/b", 1000, Now);
            var first = await store.TryWriteAsync(checkpoint, null, CancellationToken.None);
            var second = await store.TryWriteAsync(checkpoint with { ExportedThrough = 2000 }, first, CancellationToken.None);

            var stale = await store.TryWriteAsync(checkpoint with { ExportedThrough = 3000 }, first, CancellationToken.None);

            Assert.NotNull(second);
            Assert.NotEqual(first, second);
            Assert.Null(stale);
            var loaded = await store.LoadAsync("/vpc/b", CancellationToken.None);
            Assert.Equal(2000, loaded!.Value.ExportedThrough);
            Assert.Equal(second, loaded.ETag);
        }
    }
}
