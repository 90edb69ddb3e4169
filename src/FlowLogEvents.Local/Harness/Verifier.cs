using System.IO.Compression;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace FlowLogEvents.Local.Harness;

/// <summary>The verdict for one log group: every generated record against what is in S3.</summary>
public sealed record LogGroupVerdict(string LogGroup, int Expected, int Exported, int Missing, int Duplicated, int Unexpected, IReadOnlyList<string> MissingSamples, IReadOnlyList<string> DuplicatedSamples, IReadOnlyList<string> UnexpectedSamples)
{
    public bool Ok => Missing == 0 && Duplicated == 0 && Unexpected == 0;

    /// <summary>Of <see cref="Missing"/>: records ingested later than the settle delay (the late-record policy's business).</summary>
    public int MissingLateBeyondSettle { get; init; }

    /// <summary>Of <see cref="Duplicated"/>: extra copies of records ingested later than the settle delay (a re-export of a late range).</summary>
    public int DuplicatedLateBeyondSettle { get; init; }
}

/// <summary>The verdict of a run.</summary>
public sealed record Verification(IReadOnlyList<LogGroupVerdict> LogGroups, int ObjectsRead)
{
    /// <summary>Exported objects whose key belongs to no known log group.</summary>
    public const string OtherGroup = "(outside any log group)";

    public int Expected => LogGroups.Sum(g => g.Expected);

    public int Exported => LogGroups.Sum(g => g.Exported);

    public int Missing => LogGroups.Sum(g => g.Missing);

    public int Duplicated => LogGroups.Sum(g => g.Duplicated);

    public int Unexpected => LogGroups.Sum(g => g.Unexpected);

    public int MissingLateBeyondSettle => LogGroups.Sum(g => g.MissingLateBeyondSettle);

    public int DuplicatedLateBeyondSettle => LogGroups.Sum(g => g.DuplicatedLateBeyondSettle);

    public bool Ok => Missing == 0 && Duplicated == 0 && Unexpected == 0;
}

/// <summary>
/// Compares multisets per log group. Expected: every generated message. Exported: every line of
/// every exported object, its leading timestamp stripped. Missing: expected, never exported.
/// Duplicated: extra copies of expected messages. Unexpected: exported lines that were not
/// generated for that log group.
/// </summary>
public static class Verifier
{
    private const int Samples = 5;

    /// <param name="lateBeyondSettle">Messages ingested more than the settle delay after their timestamp: missing or duplicated ones are counted apart (explained by the late-record policy).</param>
    public static Verification Compare(IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IEnumerable<(string LogGroup, string Message)> exported, IReadOnlySet<string>? lateBeyondSettle = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var seen = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (group, message) in exported)
        {
            if (!seen.TryGetValue(group, out var counts))
            {
                seen[group] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            counts[message] = counts.GetValueOrDefault(message) + 1;
        }

        var verdicts = new List<LogGroupVerdict>();
        foreach (var group in expected.Keys.Concat(seen.Keys.Where(k => !expected.ContainsKey(k))).Distinct(StringComparer.Ordinal))
        {
            var want = expected.TryGetValue(group, out var w) ? w.ToHashSet(StringComparer.Ordinal) : [];
            var got = seen.GetValueOrDefault(group) ?? new Dictionary<string, int>(StringComparer.Ordinal);
            var missing = want.Where(m => !got.ContainsKey(m)).ToList();
            var duplicated = got.Where(kv => want.Contains(kv.Key) && kv.Value > 1).ToList();
            var unexpected = got.Where(kv => !want.Contains(kv.Key)).ToList();
            verdicts.Add(new LogGroupVerdict(
                group,
                expected.TryGetValue(group, out var all) ? all.Count : 0,
                got.Values.Sum(),
                missing.Count,
                duplicated.Sum(kv => kv.Value - 1),
                unexpected.Sum(kv => kv.Value),
                missing.Order(StringComparer.Ordinal).Take(Samples).ToList(),
                duplicated.Select(kv => kv.Key).Order(StringComparer.Ordinal).Take(Samples).ToList(),
                unexpected.Select(kv => kv.Key).Order(StringComparer.Ordinal).Take(Samples).ToList())
            {
                MissingLateBeyondSettle = lateBeyondSettle is null ? 0 : missing.Count(lateBeyondSettle.Contains),
                DuplicatedLateBeyondSettle = lateBeyondSettle is null ? 0 : duplicated.Where(kv => lateBeyondSettle.Contains(kv.Key)).Sum(kv => kv.Value - 1),
            });
        }

        return new Verification(verdicts, 0);
    }

    /// <summary>
    /// Lists <paramref name="exportPrefix"/> in the bucket, gunzips every <c>.gz</c> object, and
    /// compares. A key &lt;prefix&gt;/&lt;log group without leading /&gt;/&lt;task&gt;/&lt;stream&gt;/NNNNNN.gz
    /// belongs to that log group (the longest matching name wins).
    /// </summary>
    public static Task<Verification> VerifyAsync(IAmazonS3 s3, string bucket, string exportPrefix, IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, CancellationToken ct) =>
        VerifyAsync(s3, bucket, exportPrefix, expected, null, ct);

    /// <param name="lateBeyondSettle">Messages ingested later than the settle delay (counted apart when missing or duplicated).</param>
    public static async Task<Verification> VerifyAsync(IAmazonS3 s3, string bucket, string exportPrefix, IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IReadOnlySet<string>? lateBeyondSettle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(expected);
        var prefix = exportPrefix.Trim('/');
        var groupPrefixes = expected.Keys
            .Select(g => (Group: g, KeyPrefix: (prefix.Length == 0 ? string.Empty : prefix + "/") + g.TrimStart('/') + "/"))
            .OrderByDescending(p => p.KeyPrefix.Length)
            .ToList();
        var lines = new List<(string, string)>();
        var objects = 0;
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.Length == 0 ? null : prefix + "/", ContinuationToken = token }, ct).ConfigureAwait(false);
            foreach (var obj in page.S3Objects ?? [])
            {
                if (!obj.Key.EndsWith(".gz", StringComparison.Ordinal))
                {
                    continue;
                }

                objects++;
                var group = groupPrefixes.FirstOrDefault(p => obj.Key.StartsWith(p.KeyPrefix, StringComparison.Ordinal)).Group ?? Verification.OtherGroup;
                using var response = await s3.GetObjectAsync(bucket, obj.Key, ct).ConfigureAwait(false);
                using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, Encoding.UTF8);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (line.Length > 0)
                    {
                        lines.Add((group, StripTimestamp(line)));
                    }
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return Compare(expected, lines, lateBeyondSettle) with { ObjectsRead = objects };
    }

    /// <summary>An exported line is "&lt;ISO-8601 timestamp&gt; &lt;message&gt;".</summary>
    public static string StripTimestamp(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? line : line[(space + 1)..];
    }
}
