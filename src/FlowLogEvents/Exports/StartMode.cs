namespace FlowLogEvents.Exports;

public enum StartMode
{
    /// <summary>Start at the earliest event the first signals can stand for (default).</summary>
    FirstSignal,

    /// <summary>Start at the log group's creation time: export its retained history too.</summary>
    LogGroupCreation,

    /// <summary>Start at a fixed instant.</summary>
    Fixed,
}
