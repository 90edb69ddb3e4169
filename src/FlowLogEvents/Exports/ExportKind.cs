namespace FlowLogEvents.Exports;

/// <summary>The two kinds of export task that share a log group's turns at the account's single export slot.</summary>
public enum ExportKind
{
    /// <summary>The next window after <see cref="Checkpoint.ExportedThrough"/> (<see cref="Checkpoint.InFlight"/>).</summary>
    Regular,

    /// <summary>The first of <see cref="Checkpoint.LateExports"/>: a late range's re-export, or a range before the start.</summary>
    Late,
}
