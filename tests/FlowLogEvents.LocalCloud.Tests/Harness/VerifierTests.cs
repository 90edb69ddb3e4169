using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Tests.Harness;

using Verification = FlowLogEvents.Local.Harness.Verification;

public sealed class VerifierTests
{
    private static readonly Dictionary<string, IReadOnlyCollection<string>> Expected = new(StringComparer.Ordinal)
    {
        ["/vpc/a"] = ["a1", "a2", "a3"],
        ["/vpc/b"] = ["b1", "b2"],
    };

    [Fact]
    public void Compare_EverythingOnce_IsOk()
    {
        var verification = Verifier.Compare(Expected, [("/vpc/a", "a3"), ("/vpc/a", "a1"), ("/vpc/a", "a2"), ("/vpc/b", "b2"), ("/vpc/b", "b1")]);

        Assert.True(verification.Ok);
        Assert.Equal((5, 5, 0, 0, 0), (verification.Expected, verification.Exported, verification.Missing, verification.Duplicated, verification.Unexpected));
    }

    [Fact]
    public void Compare_CountsMissingDuplicatedAndUnexpectedPerLogGroup()
    {
        (string, string)[] exported =
        [
            ("/vpc/a", "a1"), ("/vpc/a", "a1"), ("/vpc/a", "a1"), // a1 twice too many
            ("/vpc/a", "a2"),                                      // a3 missing
            ("/vpc/a", "b1"),                                      // b's record in a's export: unexpected in a
            ("/vpc/b", "b1"), ("/vpc/b", "zz"), ("/vpc/b", "zz"),  // b2 missing, zz unexpected twice
            (Verification.OtherGroup, "x"),                        // outside any log group
        ];

        var verification = Verifier.Compare(Expected, exported);

        var a = verification.LogGroups.Single(g => g.LogGroup == "/vpc/a");
        var b = verification.LogGroups.Single(g => g.LogGroup == "/vpc/b");
        var other = verification.LogGroups.Single(g => g.LogGroup == Verification.OtherGroup);
        Assert.Equal((3, 5, 1, 2, 1), (a.Expected, a.Exported, a.Missing, a.Duplicated, a.Unexpected));
        Assert.Equal((2, 3, 1, 0, 2), (b.Expected, b.Exported, b.Missing, b.Duplicated, b.Unexpected));
        Assert.Equal((0, 1, 0, 0, 1), (other.Expected, other.Exported, other.Missing, other.Duplicated, other.Unexpected));
        Assert.Equal(["a3"], a.MissingSamples);
        Assert.Equal(["a1"], a.DuplicatedSamples);
        Assert.Equal(["b1"], a.UnexpectedSamples);
        Assert.Equal((2, 2, 4), (verification.Missing, verification.Duplicated, verification.Unexpected));
        Assert.False(verification.Ok);
    }

    [Fact]
    public void Compare_CopiesBeforeAndAfterAStartOver_OneExtraCopyExplainedPerRecord()
    {
        ExportedLine[] exported =
        [
            new("/vpc/a", "a1", BeforeStartOver: true), new("/vpc/a", "a1"),                                  // once each side: explained
            new("/vpc/a", "a2", BeforeStartOver: true), new("/vpc/a", "a2", BeforeStartOver: true),           // twice before: not explained
            new("/vpc/a", "a3"), new("/vpc/a", "a3"), new("/vpc/a", "a3", BeforeStartOver: true),             // twice after, once before: one explained
        ];

        var a = Verifier.Compare(Expected, exported).LogGroups.Single(g => g.LogGroup == "/vpc/a");

        Assert.Equal((4, 2, 0), (a.Duplicated, a.DuplicatedByStartOver, a.DuplicatedByLateReexport));
    }

    [Fact]
    public void Compare_NothingExported_AllMissing()
    {
        var verification = Verifier.Compare(Expected, Array.Empty<ExportedLine>());

        Assert.Equal((5, 0, 5), (verification.Expected, verification.Exported, verification.Missing));
    }

    [Theory]
    [InlineData("2026-11-26T14:59:25.000Z 2 123456789012 eni-1 ACCEPT OK", "2 123456789012 eni-1 ACCEPT OK")]
    [InlineData("no-space", "no-space")]
    public void StripTimestamp_RemovesTheLeadingTimestamp(string line, string message) =>
        Assert.Equal(message, Verifier.StripTimestamp(line));
}
