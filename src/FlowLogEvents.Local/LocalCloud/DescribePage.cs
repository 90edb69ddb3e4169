namespace FlowLogEvents.Local.LocalCloud;

internal sealed record DescribePage(IReadOnlyList<ExportTaskView> Tasks, string? NextToken);
