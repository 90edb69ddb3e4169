using System.IO.Compression;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Compares multisets per log group. Expected: every generated message. Exported: every line of
/// every exported object, its leading timestamp stripped. Missing: expected, never exported.
/// Duplicated: extra copies of expected messages. Unexpected: exported lines that were not
/// generated for that log group.
/// </summary>
public static class Verifier
{
    private const int Samples = 5;

    /// <summary>Where the export function puts a late range's re-export, under the log group's export prefix.</summary>
    private const string LateFolder = "late/";

    /// <summary>Where the export function writes a window's repairs, under the log group's export prefix (the harness's own copy of the layout docs/operations.md documents).</summary>
    private const string RepairFolderPrefix = "repair-";

    /// <param name="lateBeyondSettle">Messages ingested more than the settle delay after their timestamp: missing ones are counted apart (explained by the late-record policy <c>report</c>).</param>
    public static Verification Compare(IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IEnumerable<(string LogGroup, string Message)> exported, IReadOnlySet<string>? lateBeyondSettle = null) =>
        Compare(expected, exported.Select(e => new ExportedLine(e.LogGroup, e.Message)), lateBeyondSettle);

    /// <param name="lateBeyondSettle">Messages ingested more than the settle delay after their timestamp: missing ones are counted apart (explained by the late-record policy <c>report</c>).</param>
    public static Verification Compare(IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IEnumerable<ExportedLine> exported, IReadOnlySet<string>? lateBeyondSettle = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(exported);
        var seen = new Dictionary<string, Dictionary<string, (int Regular, int Late, int RegularBefore)>>(StringComparer.Ordinal);
        var repaired = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in exported)
        {
            if (line.Repair)
            {
                repaired[line.LogGroup] = repaired.GetValueOrDefault(line.LogGroup) + 1;
            }

            if (!seen.TryGetValue(line.LogGroup, out var counts))
            {
                seen[line.LogGroup] = counts = new Dictionary<string, (int Regular, int Late, int RegularBefore)>(StringComparer.Ordinal);
            }

            var (regular, late, before) = counts.GetValueOrDefault(line.Message);
            counts[line.Message] = line.LateReexport ? (regular, late + 1, before) : (regular + 1, late, line.BeforeStartOver ? before + 1 : before);
        }

        var verdicts = new List<LogGroupVerdict>();
        foreach (var group in expected.Keys.Concat(seen.Keys.Where(k => !expected.ContainsKey(k))).Distinct(StringComparer.Ordinal))
        {
            var want = expected.TryGetValue(group, out var w) ? w.ToHashSet(StringComparer.Ordinal) : [];
            var got = seen.GetValueOrDefault(group) ?? new Dictionary<string, (int Regular, int Late, int RegularBefore)>(StringComparer.Ordinal);
            var missing = want.Where(m => !got.ContainsKey(m)).ToList();
            var duplicated = got.Where(kv => want.Contains(kv.Key) && kv.Value.Regular + kv.Value.Late > 1).ToList();
            var unexpected = got.Where(kv => !want.Contains(kv.Key)).ToList();
            verdicts.Add(new LogGroupVerdict(
                group,
                expected.TryGetValue(group, out var all) ? all.Count : 0,
                got.Values.Sum(c => c.Regular + c.Late),
                missing.Count,
                duplicated.Sum(kv => kv.Value.Regular + kv.Value.Late - 1),
                unexpected.Sum(kv => kv.Value.Regular + kv.Value.Late),
                missing.Order(StringComparer.Ordinal).Take(Samples).ToList(),
                duplicated.Select(kv => kv.Key).Order(StringComparer.Ordinal).Take(Samples).ToList(),
                unexpected.Select(kv => kv.Key).Order(StringComparer.Ordinal).Take(Samples).ToList())
            {
                MissingLateBeyondSettle = lateBeyondSettle is null ? 0 : missing.Count(lateBeyondSettle.Contains),

                // A re-exported late range may copy a record once more per re-export; a second regular copy is never explained.
                DuplicatedByLateReexport = duplicated.Sum(kv => kv.Value.Regular <= 1 ? kv.Value.Regular + kv.Value.Late - 1 : kv.Value.Late),
                DuplicatedByStartOver = duplicated.Count(kv => kv.Value.RegularBefore >= 1 && kv.Value.Regular - kv.Value.RegularBefore >= 1),
                Repaired = repaired.GetValueOrDefault(group),
            });
        }

        return new Verification(verdicts, 0);
    }

    /// <summary>
    /// Lists <paramref name="exportPrefix"/> in the bucket, gunzips every <c>.gz</c> object, and
    /// compares. A key &lt;prefix&gt;/&lt;log group without leading /&gt;/&lt;task&gt;/&lt;stream&gt;/NNNNNN.gz
    /// belongs to that log group (the longest matching name wins); one under
    /// &lt;prefix&gt;/&lt;log group&gt;/late/ is a late range's re-export.
    /// </summary>
    public static Task<Verification> VerifyAsync(IAmazonS3 s3, string bucket, string exportPrefix, IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, CancellationToken ct) =>
        VerifyAsync(s3, bucket, exportPrefix, expected, null, ct);

    /// <param name="lateBeyondSettle">Messages ingested later than the settle delay (counted apart when missing or duplicated).</param>
    public static Task<Verification> VerifyAsync(IAmazonS3 s3, string bucket, string exportPrefix, IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IReadOnlySet<string>? lateBeyondSettle, CancellationToken ct) =>
        VerifyAsync(s3, bucket, exportPrefix, expected, lateBeyondSettle, null, ct);

    /// <param name="lateBeyondSettle">Messages ingested later than the settle delay (counted apart when missing or duplicated).</param>
    /// <param name="tasksBeforeStartOver">Ids of the export tasks created before a deliberate start-over of their log group (a key's first folder after the log group is its task id).</param>
    public static async Task<Verification> VerifyAsync(IAmazonS3 s3, string bucket, string exportPrefix, IReadOnlyDictionary<string, IReadOnlyCollection<string>> expected, IReadOnlySet<string>? lateBeyondSettle, IReadOnlySet<string>? tasksBeforeStartOver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(expected);
        var prefix = exportPrefix.Trim('/');
        var groupPrefixes = expected.Keys
            .Select(g => (Group: g, KeyPrefix: (prefix.Length == 0 ? string.Empty : prefix + "/") + g.TrimStart('/') + "/"))
            .OrderByDescending(p => p.KeyPrefix.Length)
            .ToList();
        var lines = new List<ExportedLine>();
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
                var match = groupPrefixes.FirstOrDefault(p => obj.Key.StartsWith(p.KeyPrefix, StringComparison.Ordinal));
                var group = match.Group ?? Verification.OtherGroup;
                var lateReexport = match.Group is not null && obj.Key.AsSpan(match.KeyPrefix.Length).StartsWith(LateFolder, StringComparison.Ordinal);
                var repair = match.Group is not null && obj.Key.AsSpan(match.KeyPrefix.Length).StartsWith(RepairFolderPrefix, StringComparison.Ordinal);
                var beforeStartOver = match.Group is not null && !lateReexport && tasksBeforeStartOver is not null
                    && tasksBeforeStartOver.Contains(obj.Key[match.KeyPrefix.Length..].Split('/')[0]);
                using var response = await s3.GetObjectAsync(bucket, obj.Key, ct).ConfigureAwait(false);
                using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, Encoding.UTF8);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (line.Length > 0)
                    {
                        lines.Add(new ExportedLine(group, StripTimestamp(line), lateReexport, beforeStartOver, repair));
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
