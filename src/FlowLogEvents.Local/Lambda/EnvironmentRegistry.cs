using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// The live execution environments of one or more functions, by access key id: a proxy that sees a signed AWS
/// request finds the environment (and so the function and its role) that made it. Thread-safe.
/// </summary>
public sealed class EnvironmentRegistry
{
    private readonly ConcurrentDictionary<string, ExecutionEnvironment> _byAccessKey = new(StringComparer.Ordinal);

    public IReadOnlyList<ExecutionEnvironment> Environments => [.. _byAccessKey.Values];

    public bool TryFindByAccessKey(string accessKeyId, [NotNullWhen(true)] out ExecutionEnvironment? environment) =>
        _byAccessKey.TryGetValue(accessKeyId, out environment);

    internal void Add(ExecutionEnvironment environment)
    {
        if (!_byAccessKey.TryAdd(environment.AccessKeyId, environment))
        {
            throw new InvalidOperationException(
                $"Access key id {environment.AccessKeyId} of {environment.EnvironmentId} is already used by {_byAccessKey[environment.AccessKeyId].EnvironmentId}: the credentials factory must give each environment its own.");
        }
    }

    internal void Remove(ExecutionEnvironment environment) =>
        _byAccessKey.TryRemove(new KeyValuePair<string, ExecutionEnvironment>(environment.AccessKeyId, environment));
}
