using System.Text;
using System.Text.RegularExpressions;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Relative links of Markdown files and the anchors GitHub derives from their headings: every link to a
/// path must reach an existing file or folder, and every <c>#anchor</c> into a Markdown file must match one
/// of its headings.
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>
    /// GitHub's heading anchor: lowercase, every character that is not a letter, a digit, a space, '-' or '_'
    /// dropped, each space turned into '-' (so "A / B" becomes "a--b").
    /// </summary>
    public static string Slug(string heading)
    {
        var text = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('-');
            }
        }

        return text.ToString();
    }

    /// <summary>The anchors of a Markdown text's headings (outside code fences), repeated ones numbered as GitHub does.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in OutsideCodeFences(markdown))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    /// <summary>The link targets of a Markdown text (inline and reference definitions), outside code fences and code spans.</summary>
    public static IReadOnlyList<string> Targets(string markdown)
    {
        var targets = new List<string>();
        foreach (var line in OutsideCodeFences(markdown))
        {
            var prose = CodeSpan().Replace(line, string.Empty);
            targets.AddRange(InlineLink().Matches(prose).Select(m => m.Groups["target"].Value));
            if (ReferenceDefinition().Match(prose) is { Success: true } definition)
            {
                targets.Add(definition.Groups["target"].Value);
            }
        }

        return targets;
    }

    /// <summary>
    /// The broken links of one Markdown file, each as "file: target (why)"; links with a scheme (https:, mailto:)
    /// are not checked. <paramref name="root"/> is the repository root, for the names in the messages.
    /// </summary>
    public static IReadOnlyList<string> Broken(string root, string file)
    {
        var broken = new List<string>();
        var name = Path.GetRelativePath(root, file).Replace('\\', '/');
        foreach (var target in Targets(File.ReadAllText(file)))
        {
            if (Scheme().IsMatch(target))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{name}: {target} (no such file)");
                continue;
            }

            if (anchor is not null && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                && !Anchors(File.ReadAllText(resolved)).Contains(anchor))
            {
                broken.Add($"{name}: {target} (no heading with anchor #{anchor} in {Path.GetRelativePath(root, resolved).Replace('\\', '/')})");
            }
        }

        return broken;
    }

    private static IEnumerable<string> OutsideCodeFences(string markdown)
    {
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
            {
                yield return line.TrimEnd('\r');
            }
        }
    }

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
