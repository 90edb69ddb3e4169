namespace FlowLogEvents.Local.Harness;

/// <summary>One exported line: its log group, its message, and whether it came from a late range's re-export (a key under <c>&lt;log group&gt;/late/</c>).</summary>
/// <param name="BeforeStartOver">Exported by a task created before a deliberate start-over of its log group (a regular copy the start-over's new checkpoint may export again).</param>
/// <param name="Repair">From a verification's repair (a key under <c>&lt;log group&gt;/repair-&lt;from&gt;-&lt;to&gt;/</c>), written by the export function itself.</param>
public readonly record struct ExportedLine(string LogGroup, string Message, bool LateReexport = false, bool BeforeStartOver = false, bool Repair = false);
