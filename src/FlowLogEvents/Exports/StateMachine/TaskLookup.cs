namespace FlowLogEvents.Exports.StateMachine;

/// <summary>
/// What the shell found out about the export's task when the state machine asked (<see cref="ExportStepKind.DescribeTask"/>:
/// the task DescribeExportTasks showed for the id, none when it does not know it; <see cref="ExportStepKind.SearchTask"/>:
/// every task carrying the name, of any destination).
/// </summary>
public sealed record TaskLookup(IReadOnlyList<ExportTaskInfo> Tasks)
{
    /// <summary>A lookup that found nothing.</summary>
    public static TaskLookup None { get; } = new([]);

    /// <summary>What DescribeExportTasks answered for one id (null: not known).</summary>
    public static TaskLookup Described(ExportTaskInfo? task) => task is null ? None : new([task]);
}
