using System.Text.RegularExpressions;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// <see cref="LogEvents"/> and the code agree: every log line the sources write (<c>.Info/.Warn/.Error</c> with a
/// literal name or a <see cref="LogEvents"/> constant) has a constant, and every constant is written somewhere.
/// </summary>
public sealed partial class LogEventsDriftTests
{
    private static SortedSet<string> Constants() =>
        new(typeof(LogEvents).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!), StringComparer.Ordinal);

    private static SortedSet<string> Written()
    {
        var written = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src", "FlowLogEvents"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match call in LogCall().Matches(File.ReadAllText(file)))
            {
                written.Add(call.Groups["name"].Success
                    ? call.Groups["name"].Value
                    : (string)(typeof(LogEvents).GetField(call.Groups["constant"].Value)?.GetRawConstantValue()
                        ?? throw new InvalidOperationException($"{file}: LogEvents has no constant {call.Groups["constant"].Value}")));
            }
        }

        return written;
    }

    [Fact]
    public void Constants_EveryOne_IsWrittenByTheCodeAndEveryWrittenEventIsOne()
    {
        Assert.Equal(39, Constants().Count);
        Assert.Equal(Constants(), Written());
    }

    [Fact]
    public void Sources_LogAndMetricCalls_NameTheirEventsAndMetricsByConstant()
    {
        var literal = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src", "FlowLogEvents"), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            literal.AddRange(LogCall().Matches(text).Where(m => m.Groups["name"].Success).Select(m => $"{Path.GetFileName(file)}: {m.Groups["name"].Value}"));
            literal.AddRange(LiteralMetricCall().Matches(text).Select(m => $"{Path.GetFileName(file)}: {m.Groups["name"].Value}"));
        }

        Assert.Empty(literal);
    }

    [Fact]
    public void Constants_Values_AreDistinct()
    {
        var values = typeof(LogEvents).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex("""\.(?:Info|Warn|Error)\(\s*(?:"(?<name>[a-z.-]+)"|LogEvents\.(?<constant>[A-Za-z]+))""")]
    private static partial Regex LogCall();

    [GeneratedRegex(@"\.Metric\(\s*""(?<name>[A-Za-z]+)""")]
    private static partial Regex LiteralMetricCall();
}
