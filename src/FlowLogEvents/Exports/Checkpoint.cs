namespace FlowLogEvents.Exports;

/// <summary>
/// The export state of one log group, stored as one JSON object (see <see cref="CheckpointJson"/>).
/// Everything from <see cref="StartTime"/> through <see cref="ExportedThrough"/> has been exported by a COMPLETED task,
/// or is queued in <see cref="LateExports"/> as a range before an earlier start (an entry without a stream). At most one
/// window is in flight.
/// </summary>
public sealed record Checkpoint
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string LogGroup { get; init; }

    /// <summary>The first millisecond this log group's exports cover.</summary>
    public required long StartTime { get; init; }

    /// <summary>Inclusive: the last exported millisecond. StartTime - 1 before the first export.</summary>
    public required long ExportedThrough { get; init; }

    public InFlightExport? InFlight { get; init; }

    public CompletedExport? LastCompleted { get; init; }

    public long ExportsCompleted { get; init; }

    /// <summary>
    /// Exports still to do beside the regular windows, in order, recorded before their task is created like windows:
    /// re-exports of one stream's late range (<see cref="InFlightExport.LogStream"/> set; LATE_EVENTS=reexport, into the
    /// late prefix), and ranges before the start that an earlier signal brought after the log group was first
    /// exported (<see cref="InFlightExport.LogStream"/> null: the whole log group, into the regular prefix; nothing
    /// exported them before, since they lie before the start the checkpoint had). The first one takes turns with the
    /// regular windows for the account's export slot (<see cref="SlotTurn"/>).
    /// </summary>
    public EquatableList<InFlightExport> LateExports { get; init; } = [];

    /// <summary>
    /// What is left of a window that was cut after repeated failures: windows to export in order after the one in
    /// flight (the first starts at <c>InFlight.To + 1</c>, each at the previous one's end + 1) before a new window is
    /// planned. Empty unless a split is under way; absent in checkpoints written before splitting existed.
    /// </summary>
    public EquatableList<ExportWindow> RemainingWindows { get; init; } = [];

    /// <summary>Keys (<see cref="LateKey"/>) of the most recent late ranges already queued, so a redelivered signal does not queue them twice.</summary>
    public EquatableList<string> LateSeen { get; init; } = [];

    /// <summary>
    /// The smallest settle lag (settle delay + clock skew margin, ms) any window of this checkpoint was planned under:
    /// a window ends at least that far behind the instant it is planned, which bounds when an older window (neither in
    /// flight nor the last completed) can have been planned. Absent in checkpoints written before it was kept (the
    /// current settle lag is assumed, as before); lowered by every write under a smaller one.
    /// </summary>
    public long? SettledLagFloorMillis { get; init; }

    /// <summary>Which kind of export task ended last (COMPLETED, FAILED or CANCELLED): the other kind has the next turn when both are ready.</summary>
    public ExportKind? LastTaskEnded { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many late keys a checkpoint remembers.</summary>
    public const int MaxLateSeen = 200;

    /// <summary>
    /// A late range is identified by the signal that brought it: its stream, first and last event time and the end of
    /// its debounce window (its ingestion bound). A redelivery or replay of that signal has the same key; a second
    /// delivery of the same stream and seconds is another signal (the signal function never folds late deliveries),
    /// with another key. The queued range's end is not in the key: it depends on when the signal was seen.
    /// </summary>
    public static string LateKey(string logStream, long first, long last, long ingestedBy) => $"{first}-{last}-{ingestedBy}@{logStream}";

    public static Checkpoint Start(string logGroup, long startTime, DateTimeOffset now) =>
        new() { LogGroup = logGroup, StartTime = startTime, ExportedThrough = startTime - 1, UpdatedAt = now };
}

/// <summary>
/// A window recorded before its export task is created, so that a restart looks for the same
/// deterministic <see cref="TaskName"/> instead of creating a second task.
/// </summary>
public sealed record InFlightExport
{
    public required string TaskName { get; init; }

    /// <summary>Inclusive bounds, epoch milliseconds.</summary>
    public required long From { get; init; }

    public required long To { get; init; }

    /// <summary>1 for the first task of this window, +1 after each FAILED or CANCELLED task (a split window's halves start at 1).</summary>
    public required int Attempt { get; init; }

    public required DateTimeOffset PlannedAt { get; init; }

    /// <summary>Set once CreateExportTask answered (or a task with our name was found).</summary>
    public string? TaskId { get; init; }

    /// <summary>
    /// When <see cref="TaskId"/> was recorded. DescribeExportTasks may not show a task right after its creation (AWS
    /// promises no read-after-create): an id it does not know is waited for until <see cref="ExportPolicy.UnknownTaskGrace"/>
    /// after this instant (or after <see cref="ClaimedAt"/> when this is absent). Optional in schema-1 objects.
    /// </summary>
    public DateTimeOffset? TaskRecordedAt { get; init; }

    /// <summary>
    /// True while no CreateExportTask can have been sent for <see cref="TaskName"/>: a window recorded unclaimed (the rest
    /// of a split, a retry's next attempt, a queued late range), or a claim released because the service answered that it
    /// created nothing and no earlier request had been sent. Such a name is never searched for: it cannot exist. Cleared
    /// by the claim, before the request is sent. Absent (false: may have been sent, searched) in objects written before it
    /// was kept.
    /// </summary>
    public bool Unsent { get; init; }

    /// <summary>
    /// Set by the runner that won the compare-and-swap to create the task; only that runner calls
    /// CreateExportTask. Cleared when the service definitely did not create it.
    /// </summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>Set only on a late range's re-export: the log stream (CreateExportTask's logStreamNamePrefix).</summary>
    public string? LogStream { get; init; }

    /// <summary>
    /// Set only on a late range's re-export: the ingestion bound of the signal that brought it, part of the task name,
    /// so that the re-export of a second delivery with the same range never adopts the first one's task. Absent in
    /// entries written before it was kept.
    /// </summary>
    public long? IngestedBy { get; init; }
}

/// <summary>An immutable list with value equality, so records holding one compare by content.</summary>
[System.Runtime.CompilerServices.CollectionBuilder(typeof(EquatableList), nameof(EquatableList.Create))]
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    private readonly T[] _items;

    public EquatableList(IEnumerable<T> items) => _items = [.. items];

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(EquatableList<T>? other) => other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as EquatableList<T>);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}

/// <summary>Builds <see cref="EquatableList{T}"/> from collection expressions.</summary>
public static class EquatableList
{
    public static EquatableList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
}

/// <param name="PlannedAt">When its window was planned (before its task was created); absent in checkpoints written before it was kept.</param>
public sealed record CompletedExport(string TaskId, string TaskName, long From, long To, DateTimeOffset CompletedAt, DateTimeOffset? PlannedAt = null);

/// <summary>A checkpoint object that cannot be read; it is never overwritten by a guess.</summary>
public sealed class CheckpointFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A checkpoint that must exist is gone: deleted while in use (a conditional write answered 404
/// NoSuchKey, or a re-read found nothing), or a continuation arrived for a log group without one.
/// The exported-through position is lost with it; it is never recreated from a guess.
/// </summary>
public sealed class CheckpointMissingException(string message) : Exception(message);
