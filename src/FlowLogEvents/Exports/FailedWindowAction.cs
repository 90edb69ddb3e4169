namespace FlowLogEvents.Exports;

/// <summary>What becomes of a window whose export task ended FAILED or CANCELLED.</summary>
public enum FailedWindowAction
{
    /// <summary>Export the same range again (next attempt): a first failure may be transient.</summary>
    Retry,

    /// <summary>Export the two halves instead, in order: the range failed <see cref="ExportPolicy.FailuresBeforeSplit"/> times.</summary>
    Split,

    /// <summary>Export the same range again although it keeps failing: it is at the floor (<see cref="ExportPolicy.MinSplitWindow"/>), so size is not the cause; alarmed.</summary>
    RetryAtFloor,
}
