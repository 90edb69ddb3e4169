using System.Globalization;
using System.Text.RegularExpressions;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The subset of the Logs Insights query language the local cloud runs, parsed on its own: pipe-separated commands
/// <c>filter</c> (<see cref="InsightsCondition"/>s joined by <c>and</c>), <c>stats count(*) [as name] [by @logStream]</c>,
/// <c>fields</c> (of <see cref="KnownFields"/>), <c>sort &lt;field&gt; [asc|desc]</c> and <c>limit N</c> (1 to
/// <see cref="MaxLimit"/>). Anything else is a MalformedQueryException naming what is not understood, so a query the
/// emulator cannot answer exactly is never answered approximately.
/// </summary>
public sealed partial class InsightsQuery
{
    /// <summary>The largest <c>limit</c> the query language accepts.</summary>
    public const int MaxLimit = 10_000;

    public const string MalformedQuery = "MalformedQueryException";

    public static IReadOnlyList<string> KnownFields { get; } = ["@timestamp", "@message", "@logStream", "@log", "@ingestionTime"];

    private InsightsQuery()
    {
    }

    public IReadOnlyList<InsightsCondition> Filters { get; private init; } = [];

    /// <summary>The name of the <c>count(*)</c> column of a stats query; null when the query has no stats.</summary>
    public string? CountName { get; private init; }

    /// <summary>True when the stats are grouped <c>by @logStream</c>.</summary>
    public bool ByLogStream { get; private init; }

    /// <summary>The fields of a non-stats query's rows (<c>fields</c>, or @timestamp and @message without it).</summary>
    public IReadOnlyList<string> Fields { get; private init; } = ["@timestamp", "@message"];

    public string? SortField { get; private init; }

    public bool SortDescending { get; private init; } = true;

    public int? Limit { get; private init; }

    public bool IsStats => CountName is not null;

    /// <summary>Parses <paramref name="queryString"/> or throws <see cref="ExportTaskException"/> with code MalformedQueryException.</summary>
    public static InsightsQuery Parse(string queryString)
    {
        ArgumentNullException.ThrowIfNull(queryString);
        var filters = new List<InsightsCondition>();
        string? countName = null;
        var byLogStream = false;
        IReadOnlyList<string>? fields = null;
        string? sortField = null;
        var descending = true;
        int? limit = null;
        foreach (var command in SplitOutsideQuotes(queryString, '|').Select(c => c.Trim()))
        {
            if (command.Length == 0)
            {
                if (queryString.Trim().Length == 0)
                {
                    continue;
                }

                throw Malformed("empty command between pipes");
            }

            var space = command.IndexOfAny([' ', '\t', '\n', '\r']);
            var keyword = (space < 0 ? command : command[..space]).ToLowerInvariant();
            var rest = space < 0 ? string.Empty : command[(space + 1)..].Trim();
            switch (keyword)
            {
                case "filter":
                    filters.AddRange(SplitAnd(rest).Select(ParseCondition));
                    break;
                case "stats":
                    if (countName is not null)
                    {
                        throw Malformed("more than one stats command");
                    }

                    (countName, byLogStream) = ParseStats(rest);
                    break;
                case "fields":
                    fields = ParseFields(rest);
                    break;
                case "sort":
                    (sortField, descending) = ParseSort(rest);
                    break;
                case "limit":
                    limit = int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit
                        ? n
                        : throw Malformed($"limit must be an integer from 1 to {MaxLimit}, not '{rest}'");
                    break;
                default:
                    throw Malformed($"command '{keyword}' is not supported (the local cloud runs filter, stats, fields, sort and limit)");
            }
        }

        if (countName is not null && fields is not null)
        {
            throw Malformed("fields and stats in one query are not supported by the local cloud");
        }

        var sortable = countName is null ? KnownFields : byLogStream ? [countName, InsightsCondition.LogStream] : [countName];
        if (sortField is not null && !sortable.Contains(sortField))
        {
            throw Malformed($"sort field '{sortField}' is not a field of the results");
        }

        return new InsightsQuery
        {
            Filters = filters,
            CountName = countName,
            ByLogStream = byLogStream,
            Fields = fields ?? ["@timestamp", "@message"],
            SortField = sortField,
            SortDescending = descending,
            Limit = limit,
        };
    }

    /// <summary>
    /// The rows of this query over <paramref name="scanned"/> (the events of the queried log groups in the time range), at
    /// most <paramref name="requestLimit"/> (StartQuery's <c>limit</c>) and the query's own <c>limit</c>, and how many
    /// events matched the filters. Rows of raw events carry <c>@ptr</c>, as AWS's do. Stats rows come in the order their
    /// stream first appears (AWS promises no order without <c>sort</c>); raw events newest first unless sorted.
    /// </summary>
    public (IReadOnlyList<IReadOnlyList<InsightsResultField>> Rows, long Matched) Run(IEnumerable<(string LogGroup, IngestedEvent Event)> scanned, int requestLimit)
    {
        ArgumentNullException.ThrowIfNull(scanned);
        var matched = scanned.Where(s => Filters.All(f => f.Matches(s.Event))).ToList();
        var cap = Math.Min(requestLimit, Limit ?? int.MaxValue);
        IEnumerable<IReadOnlyList<InsightsResultField>> rows;
        if (CountName is { } name)
        {
            var groups = ByLogStream
                ? matched.GroupBy(m => m.Event.LogStreamName, StringComparer.Ordinal).Select(g => (Stream: (string?)g.Key, Count: (long)g.Count()))
                : matched.Count == 0 ? [] : [(Stream: (string?)null, Count: (long)matched.Count)];
            if (SortField is { } sort)
            {
                groups = sort == name
                    ? (SortDescending ? groups.OrderByDescending(g => g.Count) : groups.OrderBy(g => g.Count))
                    : (SortDescending ? groups.OrderByDescending(g => g.Stream, StringComparer.Ordinal) : groups.OrderBy(g => g.Stream, StringComparer.Ordinal));
            }

            rows = groups.Select(g => (IReadOnlyList<InsightsResultField>)(g.Stream is null
                ? [new InsightsResultField(name, g.Count.ToString(CultureInfo.InvariantCulture))]
                : [new InsightsResultField(InsightsCondition.LogStream, g.Stream), new InsightsResultField(name, g.Count.ToString(CultureInfo.InvariantCulture))]));
        }
        else
        {
            var field = SortField ?? InsightsCondition.Timestamp;
            var ordered = field is InsightsCondition.Timestamp or "@ingestionTime"
                ? (SortDescending ? matched.OrderByDescending(m => Numeric(m.Event, field)) : matched.OrderBy(m => Numeric(m.Event, field)))
                : (SortDescending ? matched.OrderByDescending(m => Value(m.LogGroup, m.Event, field), StringComparer.Ordinal) : matched.OrderBy(m => Value(m.LogGroup, m.Event, field), StringComparer.Ordinal));
            rows = ordered.Select(m => (IReadOnlyList<InsightsResultField>)[
                .. Fields.Select(f => new InsightsResultField(f, Value(m.LogGroup, m.Event, f))),
                new InsightsResultField("@ptr", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(m.LogGroup + "|" + m.Event.Sequence.ToString(CultureInfo.InvariantCulture)))),
            ]);
        }

        return (rows.Take(cap).ToList(), matched.Count);
    }

    private static long Numeric(IngestedEvent e, string field) => field == "@ingestionTime" ? e.IngestedAt : e.Timestamp;

    /// <summary>A field as Logs Insights renders it: times as <c>yyyy-MM-dd HH:mm:ss.fff</c> UTC, @log as <c>account:group</c>.</summary>
    private static string Value(string logGroup, IngestedEvent e, string field) => field switch
    {
        "@timestamp" => Render(e.Timestamp),
        "@ingestionTime" => Render(e.IngestedAt),
        "@message" => e.Message,
        "@logStream" => e.LogStreamName,
        _ => LocalCloudResources.AccountId + ":" + logGroup,
    };

    private static string Render(long epochMillis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static ExportTaskException Malformed(string problem) => new(MalformedQuery, "Query is malformed: " + problem);

    private static InsightsCondition ParseCondition(string text)
    {
        var match = ConditionPattern().Match(text);
        if (!match.Success)
        {
            throw Malformed($"filter condition '{text.Trim()}' is not supported (compare @timestamp or toMillis(@timestamp) with a number, or @logStream with a quoted string)");
        }

        var field = match.Groups["field"].Value.StartsWith("toMillis", StringComparison.Ordinal) ? InsightsCondition.Timestamp : match.Groups["field"].Value;
        var op = match.Groups["op"].Value;
        var value = match.Groups["value"].Value.Trim();
        if (field == InsightsCondition.LogStream)
        {
            if (op != "=")
            {
                throw Malformed($"@logStream can only be compared with '=', not '{op}'");
            }

            return value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]
                ? new InsightsCondition(field, op, null, value[1..^1])
                : throw Malformed($"@logStream must be compared with a quoted string, not '{value}'");
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? new InsightsCondition(field, op, number, null)
            : throw Malformed($"@timestamp must be compared with epoch milliseconds, not '{value}'");
    }

    private static (string Name, bool ByLogStream) ParseStats(string text)
    {
        var match = StatsPattern().Match(text);
        if (!match.Success)
        {
            throw Malformed($"stats '{text}' is not supported (the local cloud runs stats count(*) [as name] [by @logStream])");
        }

        if (match.Groups["by"].Success && match.Groups["by"].Value != InsightsCondition.LogStream)
        {
            throw Malformed($"stats can only be grouped by @logStream, not '{match.Groups["by"].Value}'");
        }

        return (match.Groups["name"].Success ? match.Groups["name"].Value : "count(*)", match.Groups["by"].Success);
    }

    private static List<string> ParseFields(string text)
    {
        var fields = text.Split(',').Select(f => f.Trim()).ToList();
        foreach (var field in fields)
        {
            if (!KnownFields.Contains(field))
            {
                throw Malformed($"field '{field}' is not supported (known: {string.Join(", ", KnownFields)})");
            }
        }

        return fields;
    }

    private static (string Field, bool Descending) ParseSort(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            [var field] => (field, true),
            [var field, var order] when order.Equals("desc", StringComparison.OrdinalIgnoreCase) => (field, true),
            [var field, var order] when order.Equals("asc", StringComparison.OrdinalIgnoreCase) => (field, false),
            _ => throw Malformed($"sort '{text}' is not understood (sort <field> [asc|desc])"),
        };
    }

    private static List<string> SplitAnd(string expression)
    {
        if (expression.Length == 0)
        {
            throw Malformed("filter without a condition");
        }

        var parts = new List<string>();
        var start = 0;
        char? quote = null;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (quote is { } q)
            {
                quote = c == q ? null : q;
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (IsAndAt(expression, i))
            {
                parts.Add(expression[start..i]);
                start = i + 3;
                i += 2;
            }
        }

        if (quote is not null)
        {
            throw Malformed("unterminated string in filter");
        }

        parts.Add(expression[start..]);
        return parts;
    }

    private static bool IsAndAt(string text, int i) =>
        i > 0 && char.IsWhiteSpace(text[i - 1])
        && i + 3 < text.Length && char.IsWhiteSpace(text[i + 3])
        && text.AsSpan(i, 3).Equals("and", StringComparison.OrdinalIgnoreCase);

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                quote = c == q ? null : q;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (quote is not null)
        {
            throw Malformed("unterminated string");
        }

        parts.Add(text[start..]);
        return parts;
    }

    [GeneratedRegex(@"^\s*(?<field>toMillis\(\s*@timestamp\s*\)|@timestamp|@logStream)\s*(?<op>>=|<=|=|>|<)\s*(?<value>.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"^count\(\s*\*?\s*\)(?:\s+as\s+(?<name>[A-Za-z_][A-Za-z0-9_]*))?(?:\s+by\s+(?<by>\S+))?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StatsPattern();
}
