namespace FlowLogEvents.Local.LocalCloud;

/// <summary>A task whose running time is over and whose output must now be written (then <see cref="ExportTaskBook.Finish"/>).</summary>
internal sealed record DueTask(string TaskId, EmulatedExportTaskSpec Spec, IReadOnlyList<IngestedEvent> Events);
