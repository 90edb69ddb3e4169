using System.Collections.Concurrent;

namespace FlowLogEvents.Local.Faults;

/// <summary>What the fault injectors did and what the retry layers did about it (thread-safe).</summary>
public sealed class FaultCounters
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>All counters, by name (e.g. <c>aws.error.sqs.SendMessage</c>, <c>crash.export.after-create</c>).</summary>
    public IReadOnlyDictionary<string, int> All => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    /// <summary>AWS requests answered with an injected error before reaching the service.</summary>
    public int AwsErrors => Sum("aws.error.");

    /// <summary>AWS requests whose response was dropped after the service acted.</summary>
    public int LostResponses => Sum("aws.lost.");

    /// <summary>Requests the SDK sent again (attempt &gt; 1 in the <c>amz-sdk-request</c> header).</summary>
    public int SdkRetries => Sum("aws.retry.");

    public int Crashes => Sum("crash.");

    public int Get(string name) => _counts.GetValueOrDefault(name);

    public void Add(string name, int n = 1) => _counts.AddOrUpdate(name, n, (_, v) => v + n);

    private int Sum(string prefix) => _counts.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
}
