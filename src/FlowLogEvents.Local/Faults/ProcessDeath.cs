namespace FlowLogEvents.Local.Faults;

/// <summary>
/// The death of one execution environment. A crash point calls <see cref="DieAsync"/>, which never
/// returns: the invocation stops where it stands, no catch block of the function runs (nothing is
/// thrown), nothing after it happens. The host sees <see cref="Died"/> complete and treats the
/// invocation as Lambda treats a dead process: no response.
/// </summary>
public sealed class ProcessDeath
{
    private readonly TaskCompletionSource<string> _died = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Died => _died.Task;

    /// <summary>The log group the current invocation last loaded a checkpoint of (for the between-log-groups point).</summary>
    internal string? LastLogGroup { get; set; }

    public void BeginInvocation() => LastLogGroup = null;

    public Task DieAsync(string step)
    {
        _died.TrySetResult(step);
        return Task.Delay(Timeout.Infinite, CancellationToken.None);
    }
}
