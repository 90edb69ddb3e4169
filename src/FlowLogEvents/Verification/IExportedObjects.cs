namespace FlowLogEvents.Verification;

/// <summary>The export bucket, as the verification reads and repairs it.</summary>
public interface IExportedObjects
{
    /// <summary>Every key under <paramref name="prefix"/> (all pages).</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct);

    /// <summary>The lines of one gzip export object and its stored size in bytes.</summary>
    Task<(IReadOnlyList<string> Lines, long Bytes)> ReadLinesAsync(string key, CancellationToken ct);

    /// <summary>Writes the object only if no object has the key (If-None-Match: *); false when one already has it.</summary>
    Task<bool> TryCreateAsync(string key, byte[] content, CancellationToken ct);
}
