namespace FlowLogEvents.Exports;

/// <summary>CreateExportTask answered LimitExceededException: the account's one export slot is taken.</summary>
public sealed class ExportSlotBusyException(string message, Exception? inner = null) : Exception(message, inner);
