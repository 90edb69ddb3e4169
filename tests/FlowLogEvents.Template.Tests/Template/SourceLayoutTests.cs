using System.Text.RegularExpressions;

namespace FlowLogEvents.Tests.Template;

/// <summary>The layout rules of the sources: one top-level type per file, named after it; exceptions in Exceptions/.</summary>
public sealed partial class SourceLayoutTests
{
    // EquatableList<T> and its static builder are one type to [CollectionBuilder]: they must share a file's name.
    private static readonly string[] Pairs = ["EquatableList.cs"];

    private static IEnumerable<string> Sources() =>
        new[] { "FlowLogEvents", "FlowLogEvents.Local", "FlowLogEvents.Bootstrap" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Sources_EachFile_DeclaresOneTopLevelTypeNamedLikeTheFile()
    {
        var offenders = new List<string>();
        foreach (var file in Sources().Where(f => !Pairs.Contains(Path.GetFileName(f))))
        {
            var types = TopLevelType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToList();
            if (types.Count > 1 || (types.Count == 1 && types[0] != Path.GetFileNameWithoutExtension(file)))
            {
                offenders.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file)}: {string.Join(", ", types)}");
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Sources_ExceptionTypes_LiveInAnExceptionsFolder()
    {
        var misplaced = Sources()
            .Where(f => Path.GetFileNameWithoutExtension(f).EndsWith("Exception", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "Exceptions")
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f))
            .ToList();

        Assert.Empty(misplaced);
    }

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|partial|readonly|ref|file)\s+)*(?:class|record(?:\s+struct|\s+class)?|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}
