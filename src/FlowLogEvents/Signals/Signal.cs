using System.Text.Json.Serialization;

namespace FlowLogEvents.Signals;

/// <summary>
/// The small message the signal function puts on the FIFO queue: "log group G received events
/// between FirstEventTime and LastEventTime during the debounce window [WindowStart, WindowEnd)".
/// The export function also sends it back to the queue as a <see cref="SignalKind.Continuation"/>
/// while the work it asks for is not finished yet. Times are epoch milliseconds.
/// </summary>
public sealed record Signal
{
    public const int CurrentSchema = 1;

    [JsonPropertyName("schema")]
    public int Schema { get; init; } = CurrentSchema;

    [JsonPropertyName("kind")]
    public SignalKind Kind { get; init; } = SignalKind.Data;

    [JsonPropertyName("logGroup")]
    public required string LogGroup { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("logStream")]
    public string? LogStream { get; init; }

    [JsonPropertyName("firstEventTime")]
    public required long FirstEventTime { get; init; }

    [JsonPropertyName("lastEventTime")]
    public required long LastEventTime { get; init; }

    [JsonPropertyName("eventCount")]
    public long EventCount { get; init; }

    /// <summary>
    /// The oldest event of the delivery that was on time (younger than the lateness bound when the signal was sent), when
    /// it differs from <see cref="FirstEventTime"/>: late records riding along in a delivery do not hide the log group's
    /// ordinary delivery lag, which the export function learns its settle delay from. Absent: the same as FirstEventTime
    /// (or no event was on time). Optional: older readers ignore it.
    /// </summary>
    [JsonPropertyName("onTimeFirstEventTime")]
    public long? OnTimeFirstEventTime { get; init; }

    [JsonPropertyName("windowStart")]
    public required long WindowStart { get; init; }

    /// <summary>Exclusive end of the debounce window the signal was sent in.</summary>
    [JsonPropertyName("windowEnd")]
    public required long WindowEnd { get; init; }

    /// <summary>How many times the export function has re-queued this work.</summary>
    [JsonPropertyName("continuations")]
    public int Continuations { get; init; }

    /// <summary>
    /// How many runs in a row failed on this work with an error that is not set aside at once (0: none). The export
    /// function re-queues failed work with this count plus one, and sets it aside in the dead-letter queue at
    /// <c>ExportBatchProcessor.MaxFailures</c>; a run that reaches a verdict starts the count again.
    /// </summary>
    [JsonPropertyName("failures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Failures { get; init; }

    /// <summary>
    /// The last millisecond that must be exported before this signal is done. Every event ingested
    /// during the debounce window has a timestamp at or before the window's end (CloudWatch stamps
    /// events no later than ingestion, except producer clocks ahead of ours, which LastEventTime
    /// covers), so this keeps the trailing edge of invocations whose signals FIFO deduplication or
    /// the warm-instance memory collapsed into this one.
    /// </summary>
    [JsonIgnore]
    public long ExportThrough => Math.Max(WindowEnd - 1, LastEventTime);
}
