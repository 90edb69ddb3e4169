namespace FlowLogEvents.Observability;

/// <summary>A field of a structured log line or a metric dimension.</summary>
public readonly record struct Field(string Name, object? Value)
{
    public static implicit operator Field((string Name, object? Value) pair) => new(pair.Name, pair.Value);
}
