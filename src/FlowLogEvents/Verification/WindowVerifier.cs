namespace FlowLogEvents.Verification;

/// <summary>
/// Checks one exported window against CloudWatch Logs and repairs it exactly. Per log stream it compares how many events
/// CloudWatch Logs holds in the window (<see cref="ILogEventSource.CountByStreamAsync"/>: one Logs Insights query) with the
/// lines of the window's exported objects (the task's output and earlier repairs). For a stream that falls short it reads
/// the stream's events of the window, compares them with the exported lines as multisets and writes only the missing ones,
/// create-only, under the next free <see cref="RepairLayout"/> key. A surplus is reported, never deleted.
/// </summary>
/// <remarks>
/// Idempotent and safe beside a second runner: the repair is computed against every object already written (so a crash
/// after a write finds the events exported), and a key someone else wrote first (the create-only write answers false)
/// makes the stream's comparison start over from a fresh listing.
/// </remarks>
public sealed class WindowVerifier(ILogEventSource events, IExportedObjects exports)
{
    /// <summary>Times one stream's comparison starts over after losing a create-only write to another runner.</summary>
    public const int MaxRepairAttempts = 3;

    public async Task<VerificationResult> VerifyAsync(string logGroup, string destinationPrefix, PendingVerification window, bool repair, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        StreamCounts held;
        try
        {
            held = await events.CountByStreamAsync(logGroup, window.From, window.To, ct).ConfigureAwait(false);
        }
        catch (VerificationSourceException ex)
        {
            return VerificationResult.Unverifiable(ex.Message);
        }

        if (!held.Complete)
        {
            return VerificationResult.Unverifiable($"CloudWatch Logs' count of [{window.From}, {window.To}] was cut at the query's row limit (too many log streams to count in one query)") with { BytesScanned = held.BytesScanned };
        }

        var tally = new Tally();
        var objects = await ListAsync(destinationPrefix, window, ct).ConfigureAwait(false);
        var streams = objects.Keys.Union(held.Counts.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var findings = new List<StreamFinding>();
        foreach (var stream in streams)
        {
            var expected = held.Counts.GetValueOrDefault(stream);
            var finding = await VerifyStreamAsync(logGroup, destinationPrefix, window, stream, expected, objects.GetValueOrDefault(stream) ?? [], repair, tally, ct).ConfigureAwait(false);
            tally.Held += expected;
            tally.Exported += finding.Exported;
            if (finding.Exported != expected || finding.Repaired > 0)
            {
                findings.Add(finding);
            }
        }

        var unrepaired = findings.Sum(f => f.Unrepaired);
        return new VerificationResult
        {
            Outcome = unrepaired > 0 ? VerificationOutcome.Incomplete : tally.Repaired > 0 ? VerificationOutcome.Repaired : VerificationOutcome.Match,
            Held = tally.Held,
            Exported = tally.Exported,
            Missing = tally.Missing,
            Repaired = tally.Repaired,
            Surplus = findings.Sum(f => f.Surplus),
            Unrepaired = unrepaired,
            ObjectsRead = tally.ObjectsRead,
            BytesRead = tally.BytesRead,
            ObjectsWritten = tally.ObjectsWritten,
            BytesScanned = held.BytesScanned,
            Streams = findings,
        };
    }

    private async Task<StreamFinding> VerifyStreamAsync(string logGroup, string destinationPrefix, PendingVerification window, string stream, long expected, IReadOnlyList<string> keys, bool repair, Tally tally, CancellationToken ct)
    {
        var lines = await ReadAsync(keys, tally, ct).ConfigureAwait(false);
        long exported = lines.Count;
        if (exported >= expected || !repair)
        {
            tally.Missing += Math.Max(0, expected - exported);
            return new StreamFinding(stream, expected, exported, 0, Math.Max(0, expected - exported));
        }

        long repaired = 0;
        for (var attempt = 0; attempt < MaxRepairAttempts; attempt++)
        {
            var heldEvents = await events.ReadStreamAsync(logGroup, stream, window.From, window.To, ct).ConfigureAwait(false);
            if (heldEvents.Any(e => e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains('\r', StringComparison.Ordinal)))
            {
                // The export's line format cannot tell a message's line break from the next event: a multiset of lines
                // would take such an event for missing and write it twice. Reported, not written.
                break;
            }

            var (missing, _) = MultisetDifference.Compare(heldEvents, lines);
            if (missing.Count == 0)
            {
                break;
            }

            var next = keys.Where(k => k.Contains($"/{RepairLayout.Folder(window.From, window.To)}/", StringComparison.Ordinal))
                .Select(RepairLayout.FileIndex).Where(i => i is not null).Select(i => i!.Value).DefaultIfEmpty(-1).Max() + 1;
            if (await exports.TryCreateAsync(RepairLayout.Key(destinationPrefix, window.From, window.To, stream, next), RepairLayout.Content(missing), ct).ConfigureAwait(false))
            {
                repaired += missing.Count;
                lines.AddRange(missing);
                tally.ObjectsWritten++;
                break;
            }

            // Another runner wrote that key first: compare again with what is exported now.
            keys = (await ListAsync(destinationPrefix, window, ct).ConfigureAwait(false)).GetValueOrDefault(stream) ?? [];
            lines = await ReadAsync(keys, tally, ct).ConfigureAwait(false);
        }

        tally.Missing += Math.Max(expected - exported, repaired);
        tally.Repaired += repaired;
        return new StreamFinding(stream, expected, exported, repaired, Math.Max(0, expected - lines.Count));
    }

    private async Task<List<LogEventKey>> ReadAsync(IReadOnlyList<string> keys, Tally tally, CancellationToken ct)
    {
        var lines = new List<LogEventKey>();
        foreach (var key in keys)
        {
            var (text, bytes) = await exports.ReadLinesAsync(key, ct).ConfigureAwait(false);
            tally.ObjectsRead++;
            tally.BytesRead += bytes;
            foreach (var line in text)
            {
                // A line that is not in the export format cannot equal an event: it counts, and never matches.
                lines.Add(ExportLineFormat.TryParse(line, out var e) ? e : new LogEventKey(long.MinValue, line));
            }
        }

        return lines;
    }

    /// <summary>The window's objects by log stream: the task's output (<c>&lt;taskId&gt;/&lt;stream&gt;/</c>) and its repairs (<c>repair-&lt;from&gt;-&lt;to&gt;/&lt;stream&gt;/</c>).</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> ListAsync(string destinationPrefix, PendingVerification window, CancellationToken ct)
    {
        var byStream = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var folder in new[] { window.TaskId, RepairLayout.Folder(window.From, window.To) })
        {
            var prefix = $"{destinationPrefix}/{folder}/";
            foreach (var key in await exports.ListAsync(prefix, ct).ConfigureAwait(false))
            {
                var slash = key.LastIndexOf('/');
                if (slash <= prefix.Length || !key.EndsWith(".gz", StringComparison.Ordinal))
                {
                    continue;
                }

                var stream = key[prefix.Length..slash];
                if (!byStream.TryGetValue(stream, out var list))
                {
                    list = [];
                    byStream[stream] = list;
                }

                list.Add(key);
            }
        }

        return byStream.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private sealed class Tally
    {
        public long Held { get; set; }

        public long Exported { get; set; }

        public long Missing { get; set; }

        public long Repaired { get; set; }

        public int ObjectsRead { get; set; }

        public long BytesRead { get; set; }

        public int ObjectsWritten { get; set; }
    }
}
