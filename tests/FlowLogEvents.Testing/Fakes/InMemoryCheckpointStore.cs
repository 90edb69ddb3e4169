using System.Globalization;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Fakes;

/// <summary>
/// An <see cref="ICheckpointStore"/> with real compare-and-swap on an ETag counter, as S3 conditional
/// writes behave. Objects are kept as the bytes <see cref="CheckpointJson"/> writes, so every load and
/// write goes through serialization. Hooks simulate a concurrent writer and a crash.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (byte[] Bytes, string ETag)> _objects = new(StringComparer.Ordinal);
    private readonly List<Checkpoint> _history = [];
    private readonly Dictionary<string, byte[]> _quarantined = new(StringComparer.Ordinal);
    private long _version;
    private Func<Task>? _beforeNextWrite;
    private Action? _beforeNextLoad;
    private Action? _beforeNextMarkerLookup;
    private int _failOnWrite;
    private bool _failAfterPersist;
    private Exception? _failure;

    public int Loads { get; private set; }

    /// <summary>Every TryWriteAsync call, including conflicts and simulated crashes.</summary>
    public int WriteAttempts { get; private set; }

    public int Conflicts { get; private set; }

    /// <summary>Every checkpoint successfully written, in order.</summary>
    public IReadOnlyList<Checkpoint> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>The stored checkpoint (deserialized from its bytes), or null.</summary>
    public Checkpoint? Get(string logGroup)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(logGroup, out var o) ? CheckpointJson.Deserialize(o.Bytes, logGroup) : null;
        }
    }

    /// <summary>The stored bytes, exactly as written.</summary>
    public byte[]? RawOf(string logGroup)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(logGroup, out var o) ? o.Bytes : null;
        }
    }

    public string? ETagOf(string logGroup)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(logGroup, out var o) ? o.ETag : null;
        }
    }

    /// <summary>Stores a checkpoint unconditionally (test setup, or another writer); returns its new ETag.</summary>
    public string Put(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return PutRaw(checkpoint.LogGroup, CheckpointJson.Serialize(checkpoint));
    }

    /// <summary>Stores arbitrary bytes (for example an unreadable object); returns its new ETag.</summary>
    public string PutRaw(string logGroup, byte[] bytes)
    {
        lock (_gate)
        {
            var etag = NextETag();
            _objects[logGroup] = (bytes, etag);
            return etag;
        }
    }

    /// <summary>Deletes the object (an operator, a lifecycle rule, a wrong `aws s3 rm`).</summary>
    public void Delete(string logGroup)
    {
        lock (_gate)
        {
            _objects.Remove(logGroup);
        }
    }

    /// <summary>Quarantine key -> the bytes copied there.</summary>
    public IReadOnlyDictionary<string, byte[]> Quarantined
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, byte[]>(_quarantined, StringComparer.Ordinal);
            }
        }
    }

    private readonly HashSet<string> _markers = new(StringComparer.Ordinal);

    public int MarkWrites { get; private set; }

    public static string MarkerKeyOf(string logGroup) => $"mem://{logGroup}.json.exported";

    public bool HasMarker(string logGroup)
    {
        lock (_gate)
        {
            return _markers.Contains(logGroup);
        }
    }

    /// <summary>Removes the marker (an operator starting a log group over on purpose).</summary>
    public void DeleteMarker(string logGroup)
    {
        lock (_gate)
        {
            _markers.Remove(logGroup);
        }
    }

    public Task MarkExportedAsync(string logGroup, DateTimeOffset at, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            MarkWrites++;
            _markers.Add(logGroup);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="action"/> right before the next marker lookup (a racing runner's writes land in between).</summary>
    public void BeforeNextMarkerLookup(Action action) => _beforeNextMarkerLookup = action;

    public Task<string?> FindExportedMarkerAsync(string logGroup, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Interlocked.Exchange(ref _beforeNextMarkerLookup, null)?.Invoke();
        lock (_gate)
        {
            return Task.FromResult(_markers.Contains(logGroup) ? MarkerKeyOf(logGroup) : null);
        }
    }

    public static string QuarantineKeyOf(string logGroup, string etag) => $"mem://{logGroup}.json.quarantine-{etag.Trim('"')}";

    public Task<string?> QuarantineAsync(string logGroup, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_objects.TryGetValue(logGroup, out var o))
            {
                return Task.FromResult<string?>(null);
            }

            var key = QuarantineKeyOf(logGroup, o.ETag);
            _quarantined.TryAdd(key, o.Bytes);
            return Task.FromResult<string?>(key);
        }
    }

    /// <summary>
    /// A concurrent writer: <paramref name="action"/> runs once, at the next TryWriteAsync, before the
    /// compare-and-swap (so between the caller's Load and its write). It may use this store itself.
    /// </summary>
    public void BeforeNextWrite(Func<Task> action) => _beforeNextWrite = action;

    /// <summary>The next write fails with 412 once: another writer rewrote the object with the same content.</summary>
    public void ConflictOnNextWrite() => BeforeNextWrite(() =>
    {
        lock (_gate)
        {
            foreach (var key in _objects.Keys.ToList())
            {
                _objects[key] = (_objects[key].Bytes, NextETag());
            }
        }

        return Task.CompletedTask;
    });

    /// <summary>
    /// The <paramref name="writeNumber"/>-th TryWriteAsync from now (1-based) throws, as if the process
    /// died. With <paramref name="afterPersist"/> the write lands first (crash before the answer arrived).
    /// </summary>
    public void FailOnWrite(int writeNumber, bool afterPersist = false, Exception? exception = null)
    {
        _failOnWrite = WriteAttempts + writeNumber;
        _failAfterPersist = afterPersist;
        _failure = exception ?? new IOException("simulated crash during checkpoint write");
    }

    /// <summary><paramref name="action"/> runs once, at the start of the next LoadAsync.</summary>
    public void BeforeNextLoad(Action action) => _beforeNextLoad = action;

    public Task<StoredCheckpoint?> LoadAsync(string logGroup, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_beforeNextLoad is { } hook)
        {
            _beforeNextLoad = null;
            hook();
        }

        lock (_gate)
        {
            Loads++;
            return Task.FromResult(_objects.TryGetValue(logGroup, out var o)
                ? new StoredCheckpoint(CheckpointJson.Deserialize(o.Bytes, logGroup), o.ETag)
                : null);
        }
    }

    public async Task<string?> TryWriteAsync(Checkpoint checkpoint, string? expectedETag, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ct.ThrowIfCancellationRequested();
        WriteAttempts++;
        var crash = WriteAttempts == _failOnWrite;
        if (crash && !_failAfterPersist)
        {
            throw _failure!;
        }

        if (_beforeNextWrite is { } hook)
        {
            _beforeNextWrite = null;
            await hook().ConfigureAwait(false);
        }

        var bytes = CheckpointJson.Serialize(checkpoint);
        string etag;
        lock (_gate)
        {
            var exists = _objects.TryGetValue(checkpoint.LogGroup, out var current);
            if (!exists && expectedETag is not null)
            {
                // As S3: If-Match on a missing key answers 404 NoSuchKey.
                throw new CheckpointMissingException($"checkpoint of '{checkpoint.LogGroup}' was deleted while in use (If-Match {expectedETag} answered 404 NoSuchKey)");
            }

            var matches = expectedETag is null ? !exists : exists && current.ETag == expectedETag;
            if (!matches)
            {
                Conflicts++;
                return null;
            }

            etag = NextETag();
            _objects[checkpoint.LogGroup] = (bytes, etag);
            _history.Add(CheckpointJson.Deserialize(bytes, checkpoint.LogGroup));
        }

        if (crash)
        {
            throw _failure!;
        }

        return etag;
    }

    private string NextETag() => "\"" + (++_version).ToString(CultureInfo.InvariantCulture) + "\"";
}
