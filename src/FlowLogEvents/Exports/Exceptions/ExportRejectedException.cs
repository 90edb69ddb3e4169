namespace FlowLogEvents.Exports;

/// <summary>
/// CreateExportTask answered with an error: the task was definitely not created. <see cref="Permanent"/>
/// when retrying the same request cannot succeed until someone changes something (the log group does
/// not exist, a parameter or the bucket policy is invalid); otherwise (throttling) a retry may.
/// </summary>
public sealed class ExportRejectedException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
