namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Every relative link in README.md, CHANGELOG.md and docs/**/*.md reaches an existing file, and every
/// <c>#anchor</c> into a Markdown file matches one of its headings (GitHub's slug rules).
/// </summary>
public sealed class DocumentationLinkTests
{
    private static IReadOnlyList<string> DocumentationFiles() =>
    [
        Path.Combine(RepositoryFiles.Root, "README.md"),
        Path.Combine(RepositoryFiles.Root, "CHANGELOG.md"),
        .. Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void Links_ReadmeChangelogAndDocs_ResolveToExistingFilesAndHeadings()
    {
        var files = DocumentationFiles();
        var broken = files.SelectMany(file => MarkdownLinks.Broken(RepositoryFiles.Root, file)).ToList();

        Assert.Contains(Path.Combine(RepositoryFiles.Root, "docs", "README.md"), files);
        Assert.Contains(Path.Combine(RepositoryFiles.Root, "docs", "operations.md"), files);
        Assert.True(files.Sum(file => MarkdownLinks.Targets(File.ReadAllText(file)).Count) > 100, "the documents hold their links");
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join('\n', broken));
    }

    [Theory]
    [InlineData("Point Secure Workload / Tetration at the exports", "point-secure-workload--tetration-at-the-exports")]
    [InlineData("Memory: MemorySize of the signal function", "memory-memorysize-of-the-signal-function")]
    [InlineData("IAM, per function", "iam-per-function")]
    [InlineData("`LATE_EVENTS` and late-records", "late_events-and-late-records")]
    [InlineData("0005: Our own CloudWatch Logs client, on a pinned AWSSDK.Core", "0005-our-own-cloudwatch-logs-client-on-a-pinned-awssdkcore")]
    public void Slug_Heading_FollowsGitHubRules(string heading, string expected)
    {
        Assert.Equal(expected, MarkdownLinks.Slug(heading));
    }

    [Fact]
    public void Anchors_RepeatedHeadingAndHeadingInCodeFence_NumberedAndIgnoredAsGitHubDoes()
    {
        var anchors = MarkdownLinks.Anchors("# Title\n## Results\n```bash\n# not a heading\n```\n### Results\n");

        Assert.Equal(["results", "results-1", "title"], anchors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Broken_MissingFileOrHeading_ReportsEachLinkAndNothingElse()
    {
        var root = Path.Combine(Path.GetTempPath(), "flowlogevents-links-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        try
        {
            File.WriteAllText(Path.Combine(root, "docs", "b.md"), "# B\n## Real heading\n");
            File.WriteAllText(
                Path.Combine(root, "README.md"),
                "# A\n## Here\n" +
                "[ok](docs/b.md) [ok](docs/b.md#real-heading) [ok](#here) [ok](docs/) [web](https://example.com/x.md#y)\n" +
                "[gone](docs/missing.md) [no heading](docs/b.md#nope) [no anchor here](#there)\n" +
                "`[not a link](nowhere.md)`\n```\n[not a link either](nowhere.md)\n```\n");

            var broken = MarkdownLinks.Broken(root, Path.Combine(root, "README.md"));

            Assert.Equal(
                [
                    "README.md: docs/missing.md (no such file)",
                    "README.md: docs/b.md#nope (no heading with anchor #nope in docs/b.md)",
                    "README.md: #there (no heading with anchor #there in README.md)",
                ],
                broken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
