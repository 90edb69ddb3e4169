namespace FlowLogEvents.Local.Harness;

/// <summary>The verdict for one log group: every generated record against what is in S3.</summary>
public sealed record LogGroupVerdict(string LogGroup, int Expected, int Exported, int Missing, int Duplicated, int Unexpected, IReadOnlyList<string> MissingSamples, IReadOnlyList<string> DuplicatedSamples, IReadOnlyList<string> UnexpectedSamples)
{
    public bool Ok => Missing == 0 && Duplicated == 0 && Unexpected == 0;

    /// <summary>Of <see cref="Missing"/>: records ingested later than the settle delay (the late-record policy's business).</summary>
    public int MissingLateBeyondSettle { get; init; }

    /// <summary>
    /// Of <see cref="Duplicated"/>: extra copies explained by the late-record policy <c>LATE_EVENTS=reexport</c>: copies in
    /// objects under <c>&lt;prefix&gt;/&lt;log group&gt;/late/</c> of a record that is at most once in the regular exports.
    /// </summary>
    public int DuplicatedByLateReexport { get; init; }

    /// <summary>
    /// Of <see cref="Duplicated"/>: extra copies a deliberate start-over re-exports by design: a record in the regular
    /// exports once from a task created before the start-over and once from a task created after it (one extra copy
    /// each; any further regular copy is not explained).
    /// </summary>
    public int DuplicatedByStartOver { get; init; }

    /// <summary>Of <see cref="Exported"/>: lines the export function's verification wrote in repairs (records an export task had missed).</summary>
    public int Repaired { get; init; }
}
