namespace FlowLogEvents.Exports;

/// <summary>Where one log group's export stands after a run of the coordinator.</summary>
public enum ExportState
{
    /// <summary>Everything the work asked for is exported; nothing is in flight.</summary>
    Done,

    /// <summary>Not finished yet (task running, data not settled, slot busy): come back later.</summary>
    Waiting,
}
