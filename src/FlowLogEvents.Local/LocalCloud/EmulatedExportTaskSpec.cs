namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// What the emulated CreateExportTask was asked for (validated, destinationPrefix defaulted), or what the emulator seeds
/// as a foreign task. Not the product's request (<see cref="FlowLogEvents.Exports.ExportTaskSpec"/>).
/// </summary>
public sealed record EmulatedExportTaskSpec(
    string? TaskName,
    string LogGroupName,
    string? LogStreamNamePrefix,
    long From,
    long To,
    string Destination,
    string DestinationPrefix);
