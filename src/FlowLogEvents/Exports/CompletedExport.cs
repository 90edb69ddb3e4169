namespace FlowLogEvents.Exports;

/// <param name="PlannedAt">When its window was planned (before its task was created); absent in checkpoints written before it was kept.</param>
public sealed record CompletedExport(string TaskId, string TaskName, long From, long To, DateTimeOffset CompletedAt, DateTimeOffset? PlannedAt = null);
