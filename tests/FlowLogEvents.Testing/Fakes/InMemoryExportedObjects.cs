using System.IO.Compression;
using System.Text;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>The export bucket in memory: gzip objects by key, create-only writes as S3's If-None-Match: *; a hook runs before the next create (a racing runner).</summary>
public sealed class InMemoryExportedObjects : IExportedObjects
{
    private readonly SortedDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public int Creates { get; private set; }

    public int RefusedCreates { get; private set; }

    public Action? BeforeNextCreate { get; set; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    /// <summary>Stores an object as CloudWatch Logs' export would: one line per event, gzip.</summary>
    public void PutExport(string key, params LogEventKey[] events) => _objects[key] = RepairLayout.Content(events);

    public void PutRaw(string key, byte[] content) => _objects[key] = content;

    public IReadOnlyList<string> LinesOf(string key)
    {
        using var gzip = new GZipStream(new MemoryStream(_objects[key]), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(_objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList());

    public Task<(IReadOnlyList<string> Lines, long Bytes)> ReadLinesAsync(string key, CancellationToken ct) =>
        Task.FromResult((LinesOf(key), (long)_objects[key].Length));

    public Task<bool> TryCreateAsync(string key, byte[] content, CancellationToken ct)
    {
        var hook = BeforeNextCreate;
        BeforeNextCreate = null;
        hook?.Invoke();
        if (_objects.ContainsKey(key))
        {
            RefusedCreates++;
            return Task.FromResult(false);
        }

        Creates++;
        _objects[key] = content;
        return Task.FromResult(true);
    }
}
