namespace FlowLogEvents.Local.LocalCloud;

/// <summary>What CreateExportTask asked for (validated, destinationPrefix defaulted).</summary>
public sealed record ExportTaskSpec(
    string? TaskName,
    string LogGroupName,
    string? LogStreamNamePrefix,
    long From,
    long To,
    string Destination,
    string DestinationPrefix);
