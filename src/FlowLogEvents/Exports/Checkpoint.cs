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

    /// <summary>
    /// Exported windows awaiting their verification checks against CloudWatch Logs, in window order (see
    /// <see cref="Verification.VerificationSchedule"/>). Empty when every window is final; absent in checkpoints written before
    /// verification existed.
    /// </summary>
    public EquatableList<Verification.PendingVerification> Verifications { get; init; } = [];

    /// <summary>The first millisecond of the first window queued for verification; null before any was (older windows were never verified).</summary>
    public long? VerifiedFrom { get; init; }

    /// <summary>The most recent delivery lags its data signals showed (see <see cref="Settling.SettleLearner"/>); empty in checkpoints written before they were kept.</summary>
    public EquatableList<Settling.DeliveryLagSample> DeliveryLags { get; init; } = [];

    /// <summary>Events written by repairs of this log group's windows, all time.</summary>
    public long RecordsRepaired { get; init; }

    /// <summary>Windows whose last check passed, all time.</summary>
    public long WindowsFinal { get; init; }

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

    /// <summary>
    /// Checks the invariants the state machine keeps; a checkpoint breaking them was not written by it.
    /// <see cref="CheckpointJson.Deserialize"/> calls it on every object it reads.
    /// </summary>
    /// <exception cref="CheckpointFormatException">An invariant does not hold; the message names it.</exception>
    public void Validate()
    {
        var c = this;
        if (c.ExportedThrough < c.StartTime - 1)
        {
            throw new CheckpointFormatException($"checkpoint exportedThrough {c.ExportedThrough} is before startTime {c.StartTime} - 1");
        }

        if (c.ExportsCompleted < 0)
        {
            throw new CheckpointFormatException($"checkpoint exportsCompleted {c.ExportsCompleted} is negative");
        }

        if (c.InFlight is { } f)
        {
            if (f.From != c.ExportedThrough + 1)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.from {f.From} is not exportedThrough + 1 ({c.ExportedThrough + 1})");
            }

            if (f.To < f.From)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.to {f.To} is before inFlight.from {f.From}");
            }

            if (f.Attempt < 1)
            {
                throw new CheckpointFormatException($"checkpoint inFlight.attempt {f.Attempt} is not positive");
            }

            ValidateSent(f, "inFlight");
        }

        // The rest of a split window follows the window in flight without a gap or an overlap.
        var previousTo = c.InFlight?.To;
        for (var i = 0; i < c.RemainingWindows.Count; i++)
        {
            var window = c.RemainingWindows[i];
            if (previousTo is null)
            {
                throw new CheckpointFormatException("checkpoint remainingWindows is set but nothing is in flight");
            }

            if (window.From != previousTo + 1 || window.To < window.From)
            {
                throw new CheckpointFormatException($"checkpoint remainingWindows[{i}] is not contiguous (from {window.From} must be {previousTo + 1}, to {window.To} not before from)");
            }

            previousTo = window.To;
        }

        for (var i = 0; i < c.LateExports.Count; i++)
        {
            var late = c.LateExports[i];
            if (late.LogStream == string.Empty || late.To < late.From || late.Attempt < 1)
            {
                throw new CheckpointFormatException($"checkpoint lateExports[{i}] is not a valid late re-export (logStream absent or not empty, to >= from, attempt >= 1)");
            }

            ValidateSent(late, $"lateExports[{i}]");

            // Without a stream: a range before the start an earlier signal brought, exported for the whole log group.
            if (late.LogStream is null && (late.From < c.StartTime || late.To > c.ExportedThrough || late.IngestedBy is not null))
            {
                throw new CheckpointFormatException($"checkpoint lateExports[{i}] has no logStream but is not a range between startTime {c.StartTime} and exportedThrough {c.ExportedThrough} (nor without ingestedBy)");
            }
        }

        if (c.Verifications.Count > Verification.VerificationPolicy.MaxPending)
        {
            throw new CheckpointFormatException($"checkpoint verifications holds {c.Verifications.Count} windows, more than {Verification.VerificationPolicy.MaxPending}");
        }

        for (var i = 0; i < c.Verifications.Count; i++)
        {
            var v = c.Verifications[i];
            if (v.To < v.From || v.Checks < 0 || v.Failures < 0 || v.Repaired < 0 || v.Surplus < 0 || v.Shortfall < 0 || v.TaskId.Length == 0)
            {
                throw new CheckpointFormatException($"checkpoint verifications[{i}] is not a valid pending verification (to >= from, taskId set, counts not negative)");
            }

            if (!v.BeforeStart && v.To > c.ExportedThrough)
            {
                throw new CheckpointFormatException($"checkpoint verifications[{i}] ends at {v.To}, after exportedThrough {c.ExportedThrough}: only exported windows are verified");
            }
        }

        if (c.DeliveryLags.Count > Settling.SettleLearner.MaxSamples || c.DeliveryLags.Any(s => s.LagMillis < 0))
        {
            throw new CheckpointFormatException($"checkpoint deliveryLags holds {c.DeliveryLags.Count} lags (at most {Settling.SettleLearner.MaxSamples}, none negative)");
        }

        if (c.RecordsRepaired < 0 || c.WindowsFinal < 0)
        {
            throw new CheckpointFormatException("checkpoint recordsRepaired and windowsFinal must not be negative");
        }

        if (c.SettledLagFloorMillis < 0)
        {
            throw new CheckpointFormatException($"checkpoint settledLagFloorMillis {c.SettledLagFloorMillis} is negative");
        }
    }

    /// <summary>A name no request was sent for has no task id and no claim; a recording time needs the id it dates.</summary>
    private static void ValidateSent(InFlightExport f, string path)
    {
        if (f.Unsent && (f.TaskId is not null || f.ClaimedAt is not null))
        {
            throw new CheckpointFormatException($"checkpoint {path}.unsent is true but a taskId or claimedAt is set (a claim clears it before the request is sent)");
        }

        if (f.TaskRecordedAt is not null && f.TaskId is null)
        {
            throw new CheckpointFormatException($"checkpoint {path}.taskRecordedAt is set without a taskId");
        }
    }
}
