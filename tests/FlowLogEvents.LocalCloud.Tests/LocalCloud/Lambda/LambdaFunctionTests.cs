using System.Diagnostics;
using System.Text;
using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>The pool: one invocation at a time per environment, the concurrency cap, warm reuse and the cold-start figures.</summary>
public sealed class LambdaFunctionTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Invoke_TwoAtOnceWithMaxConcurrencyOne_RunSeriallyInOneEnvironment()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition(maxConcurrency: 1));
        var elapsed = Stopwatch.StartNew();

        var both = await Task.WhenAll(function.InvokeAsync(Bytes("pause 1")), function.InvokeAsync(Bytes("pause 2")));
        elapsed.Stop();

        Assert.All(both, r => Assert.Equal((InvocationOutcome.Success, "probe-1"), (r.Outcome, r.EnvironmentId)));
        Assert.Equal([false, true], both.Select(r => r.ColdStart).Order());
        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(1), $"two 0.5 s invocations took {elapsed.Elapsed}");
        Assert.Equal(1, function.Counters.ColdStarts);
    }

    [Fact]
    public async Task Invoke_TwoAtOnceWithMaxConcurrencyTwo_RunInTwoProcesses()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition(maxConcurrency: 2));

        var both = await Task.WhenAll(function.InvokeAsync(Bytes("pause 1")), function.InvokeAsync(Bytes("pause 2")));

        Assert.Equal(["probe-1", "probe-2"], both.Select(r => r.EnvironmentId).Order(StringComparer.Ordinal));
        Assert.All(both, r => Assert.True(r.ColdStart));
        Assert.Equal(2, function.Counters.ColdStarts);
        Assert.Equal(2, function.Environments.Select(e => e.ProcessId).Distinct().Count());
    }

    [Fact]
    public async Task Invoke_AfterTheProcessExitedBetweenInvocations_ReplacesItWithAColdStart()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition());
        await function.InvokeAsync(Bytes("warm up"));
        var idle = function.Environments.Single();

        Process.GetProcessById(idle.ProcessId).Kill();
        await Task.Delay(200);
        var result = await function.InvokeAsync(Bytes("again"));

        Assert.Null(idle.CurrentRequestId);
        Assert.Equal((InvocationOutcome.Success, "probe-2", true), (result.Outcome, result.EnvironmentId, result.ColdStart));
        Assert.Equal((2, 0), (function.Counters.ColdStarts, function.Counters.Deaths));
    }

    [Fact]
    public async Task Counters_ColdStart_RecordsTimeToFirstNextAndToFirstResponse()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        await using var function = new LambdaFunction(runtime.Definition());

        await function.InvokeAsync(Bytes("one"));
        await function.InvokeAsync(Bytes("two"));

        var timing = Assert.Single(function.Counters.ColdStartTimings);
        Assert.Equal("probe-1", timing.EnvironmentId);
        Assert.NotNull(timing.ToFirstNext);
        Assert.NotNull(timing.ToFirstResponse);
        Assert.InRange(timing.ToFirstNext.Value, TimeSpan.FromTicks(1), timing.ToFirstResponse.Value);
        Assert.Equal((1, 2, 2), (function.Counters.ColdStarts, function.Counters.Invocations, function.Counters.Successes));
    }

    [Fact]
    public async Task Dispose_DuringAnInvocation_KillsTheProcessAndTheInvocationEndsAsDied()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 10), new LambdaHostOptions { Output = output.Sink });
        var invocation = function.InvokeAsync(Bytes("sleep"));
        await output.WaitForAsync("got ");

        await function.DisposeAsync();
        var died = await invocation;

        Assert.Equal(InvocationOutcome.Died, died.Outcome);
        Assert.Empty(function.Environments);
    }
}
