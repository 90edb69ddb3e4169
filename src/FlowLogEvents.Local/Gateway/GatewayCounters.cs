using System.Collections.Concurrent;

namespace FlowLogEvents.Local.Gateway;

/// <summary>What went through the gateway (thread-safe). Injected AWS errors and crashes drawn are in the run's FaultCounters.</summary>
public sealed class GatewayCounters
{
    /// <summary>The function name counted for requests whose access key id no caller owns.</summary>
    public const string UnknownFunction = "(unknown)";

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>All counters by name: <c>request.&lt;function&gt;.&lt;service&gt;.&lt;operation&gt;</c>, <c>relayed</c>, <c>denied</c>, <c>killed.&lt;step&gt;</c>, <c>unknown-caller</c>, <c>conflict.in-flight</c> / <c>conflict.injected</c> (409 ConditionalRequestConflict answers).</summary>
    public IReadOnlyDictionary<string, int> All => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    /// <summary>Requests handed to the upstream service (an injected AWS error may still answer one without reaching it).</summary>
    public int Relayed => Get("relayed");

    /// <summary>Requests answered AccessDenied by the authorizer.</summary>
    public int Denied => Get("denied");

    /// <summary>Environments killed at a crash point.</summary>
    public int Killed => Sum("killed.");

    /// <summary>Requests signed with an access key id no caller owns (relayed without faults).</summary>
    public int UnknownCallers => Get("unknown-caller");

    /// <summary>Conditional PutObjects answered 409 ConditionalRequestConflict: racing another of their key, or drawn at the fault rate.</summary>
    public int Conflicts => Sum("conflict.");

    public int Requests(string function, string service, string operation) => Get($"request.{function}.{service}.{operation}");

    public int KilledAt(string step) => Get("killed." + step);

    public int Get(string name) => _counts.GetValueOrDefault(name);

    internal void Add(string name) => _counts.AddOrUpdate(name, 1, (_, v) => v + 1);

    private int Sum(string prefix) => _counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
}
