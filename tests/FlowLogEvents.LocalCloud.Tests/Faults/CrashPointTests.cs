using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Tests.Faults;

public sealed class CrashPointTests
{
    [Fact]
    public async Task CrashPoint_StopsTheInvocationForGood_NoCatchRuns_NextInvocationIsAColdStart()
    {
        var counters = new FaultCounters();
        var schedule = new CrashSchedule(new FaultOptions { CrashAt = [CrashSteps.ExportAfterCreate], CrashRate = 1, MaxCrashesPerStep = 1 }, counters, 1);
        var built = 0;
        var caught = 0;
        var after = 0;
        var host = new FunctionHost<ProcessDeath>(
            death =>
            {
                built++;
                return death;
            },
            async (death, input) =>
            {
                try
                {
                    await schedule.ReachAsync(CrashSteps.ExportAfterCreate, death);
                    after++;
                }
                catch (Exception)
                {
                    caught++;
                    throw;
                }

                return input;
            });

        var first = await host.InvokeAsync([1]);
        var second = await host.InvokeAsync([2]);

        Assert.Null(first);
        Assert.NotNull(second);
        Assert.Equal((0, 1, 2), (caught, after, built));
        Assert.Equal(1, counters.Crashes);
        Assert.Equal(2, counters.Get("reached." + CrashSteps.ExportAfterCreate));
    }

    [Fact]
    public async Task UnarmedStep_NeverCrashes()
    {
        var schedule = new CrashSchedule(new FaultOptions { CrashAt = [CrashSteps.SignalBeforeSend], CrashRate = 1 }, new FaultCounters(), 1);

        await schedule.ReachAsync(CrashSteps.SignalAfterSend, new ProcessDeath()).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Verifier_MissingLateBeyondSettle_CountedApart()
    {
        var expected = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal) { ["/g"] = ["a", "b", "late1", "late2"] };
        var exported = new[] { ("/g", "a"), ("/g", "late2") };

        var v = Verifier.Compare(expected, exported, new HashSet<string>(["late1", "late2"], StringComparer.Ordinal));

        Assert.Equal((2, 1), (v.Missing, v.MissingLateBeyondSettle));
        Assert.Equal((0, 0), (v.Duplicated, v.DuplicatedByLateReexport));
    }

    [Fact]
    public void Verifier_CopiesUnderLateFolder_ExplainedOnlyWhenOnceInRegularExports()
    {
        var expected = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal) { ["/g"] = ["ontime", "late", "twice", "twice-plus-late"] };
        var exported = new ExportedLine[]
        {
            new("/g", "ontime"), new("/g", "ontime", LateReexport: true), // on-time record re-exported with its stream's late range: explained
            new("/g", "late", LateReexport: true), new("/g", "late", LateReexport: true), // late record in two overlapping late ranges: explained
            new("/g", "twice"), new("/g", "twice"), // twice in the regular exports: never explained
            new("/g", "twice-plus-late"), new("/g", "twice-plus-late"), new("/g", "twice-plus-late", LateReexport: true),
        };

        var v = Verifier.Compare(expected, exported);

        Assert.Equal(0, v.Missing);
        Assert.Equal(5, v.Duplicated);
        Assert.Equal(3, v.DuplicatedByLateReexport);
    }
}
