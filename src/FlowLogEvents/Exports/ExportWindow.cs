namespace FlowLogEvents.Exports;

/// <summary>An export window; both bounds inclusive, epoch milliseconds.</summary>
public readonly record struct ExportWindow(long From, long To);
