namespace FlowLogEvents.Tests.Support;

/// <summary>Sets (or, for null, removes) environment variables and restores the previous values on dispose.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _previous;

    public EnvironmentScope(Dictionary<string, string?> values)
    {
        _previous = values.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in values)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
