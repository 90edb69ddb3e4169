namespace FlowLogEvents.Exports;

/// <summary>What a run of the coordinator did for one log group: its state, why, and how far it is exported.</summary>
public sealed record ExportOutcome(ExportState State, string Reason, long ExportedThrough, string? TaskId = null);
