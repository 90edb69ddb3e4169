namespace FlowLogEvents.Exports;

/// <summary>What one CreateExportTask call asks for; <paramref name="LogStreamPrefix"/> only for a late range's re-export.</summary>
public sealed record ExportTaskSpec(string TaskName, string LogGroup, long From, long To, string Bucket, string Prefix, string? LogStreamPrefix = null);
