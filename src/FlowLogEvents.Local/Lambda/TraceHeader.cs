using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// An X-Ray trace header (<c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Lineage=a87bd80c:1|68fd508a:5</c>)
/// as Lambda's recursive loop detection reads it: <c>Lineage</c> holds one <c>&lt;function hash&gt;:&lt;count&gt;</c>
/// entry per function the event has passed, the count being how often that function was invoked by
/// this chain. AWS documents neither the field nor the hash (the shape is the one LocalStack's
/// TraceContextParser parses); the local cloud hashes the function's name (8 hex digits of SHA-256).
/// </summary>
public sealed record TraceHeader(string Root, string Parent, bool Sampled, IReadOnlyDictionary<string, int> Lineage)
{
    /// <summary>
    /// "If a function is invoked by the same triggering event more than 16 times, Lambda will stop the
    /// next invocation" (AWS, July 2023). Read harshly: invocations 1 to 16 run, the 17th is stopped.
    /// </summary>
    public const int MaxRecursiveInvocations = 16;

    /// <summary>Parses a header (percent-encoded or not: AWSSDK.Core encodes some characters); null when it has no Root.</summary>
    public static TraceHeader? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var decoded = Uri.UnescapeDataString(header);
        string? root = null;
        var parent = string.Empty;
        var sampled = false;
        var lineage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in decoded.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var (key, value) = (part[..equals], part[(equals + 1)..]);
            switch (key)
            {
                case "Root":
                    root = value;
                    break;
                case "Parent":
                    parent = value;
                    break;
                case "Sampled":
                    sampled = value == "1";
                    break;
                case "Lineage":
                    foreach (var entry in value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var colon = entry.LastIndexOf(':');
                        if (colon > 0 && int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                        {
                            var hash = entry[..colon];
                            lineage[hash] = Math.Max(count, lineage.GetValueOrDefault(hash));
                        }
                    }

                    break;
            }
        }

        return root is null ? null : new TraceHeader(root, parent, sampled, lineage);
    }

    /// <summary>A new trace (an event that carries none): a fresh Root, no lineage.</summary>
    public static TraceHeader Fresh(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var epoch = clock.GetUtcNow().ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return new TraceHeader($"1-{epoch}-{Hex(12)}", Hex(8), false, new Dictionary<string, int>(StringComparer.Ordinal));
    }

    /// <summary>The 8-hex-digit lineage key of a function.</summary>
    public static string FunctionHash(string functionName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(functionName)))[..8];

    /// <summary>How often <paramref name="functionName"/> was already invoked by this chain.</summary>
    public int InvocationsOf(string functionName) => Lineage.GetValueOrDefault(FunctionHash(functionName));

    /// <summary>The header Lambda hands to the next invocation of <paramref name="functionName"/>: same Root, a new Parent, its count + 1.</summary>
    public TraceHeader ForInvocationOf(string functionName)
    {
        var lineage = new Dictionary<string, int>(Lineage, StringComparer.Ordinal);
        var hash = FunctionHash(functionName);
        lineage[hash] = lineage.GetValueOrDefault(hash) + 1;
        return this with { Parent = Hex(8), Lineage = lineage };
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append("Root=").Append(Root);
        if (Parent.Length > 0)
        {
            text.Append(";Parent=").Append(Parent);
        }

        text.Append(";Sampled=").Append(Sampled ? '1' : '0');
        if (Lineage.Count > 0)
        {
            text.Append(";Lineage=").AppendJoin('|', Lineage.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}:{e.Value}")));
        }

        return text.ToString();
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
