using System.Diagnostics;
using System.Text;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>Processes: their environment, output, init errors, timeouts, deaths and kills from outside.</summary>
public sealed class ExecutionEnvironmentTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>True once /proc has no live process <paramref name="pid"/> (gone, or a zombie), waiting up to 2 s.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(2))
        {
            var status = $"/proc/{pid}/status";
            if (!File.Exists(status) || File.ReadLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    [Fact]
    public async Task Start_WithTemplateExtraAndClockVariables_GetsExactlyLambdasVariablesAndNothingFromTheParent()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Introspect);
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-26T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = new LambdaHostOptions
        {
            Clock = clock,
            Credentials = (definition, number) => new FunctionCredentials($"AKID{definition.Name}{number}", "secret-" + number, "token-" + number),
            ExtraEnvironment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566" },
            ClockEnvironment = () => new Dictionary<string, string> { ["FAKETIME"] = "@2026-11-26 15:00:00 x60" },
        };
        var template = new Dictionary<string, string> { ["SIGNAL_QUEUE_URL"] = "http://127.0.0.1:4566/123456789012/signals.fifo" };
        await using var function = new LambdaFunction(runtime.Definition(environment: template), options);

        var result = await function.InvokeAsync(Bytes("{}"));

        var environment = function.Environments.Single();
        var seen = Encoding.UTF8.GetString(result.Response!).Split("\n--\n")[1].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var root = runtime.Directory;
        var expected = new Dictionary<string, string>
        {
            ["_HANDLER"] = "FlowLogEvents::FlowLogEvents.Functions.Probe::HandleAsync",
            ["AWS_LAMBDA_RUNTIME_API"] = environment.RuntimeApi,
            ["LAMBDA_TASK_ROOT"] = root,
            ["LAMBDA_RUNTIME_DIR"] = root,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "probe",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/probe",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = environment.LogStreamName,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDprobe1",
            ["AWS_SECRET_ACCESS_KEY"] = "secret-1",
            ["AWS_SESSION_TOKEN"] = "token-1",
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
            ["LD_LIBRARY_PATH"] = $"/lib64:/usr/lib64:{root}:{root}/lib:{root}:{root}/lib:/opt/lib",
            ["SIGNAL_QUEUE_URL"] = "http://127.0.0.1:4566/123456789012/signals.fifo",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566",
            ["FAKETIME"] = "@2026-11-26 15:00:00 x60",
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), seen.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Matches(@"^2026/11/26/\[\$LATEST\][0-9a-f]{32}$", environment.LogStreamName);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", environment.RuntimeApi);
    }

    [Fact]
    public async Task Start_ClockHook_IsEvaluatedAtEachProcessStart()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Introspect);
        var starts = 0;
        var options = new LambdaHostOptions { ClockEnvironment = () => new Dictionary<string, string> { ["CLOCK_AT_START"] = (++starts).ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        await using var function = new LambdaFunction(runtime.Definition(maxConcurrency: 2), options);

        var both = await Task.WhenAll(function.InvokeAsync(Bytes("{}")), function.InvokeAsync(Bytes("{}")));

        var seen = both.Select(r => Encoding.UTF8.GetString(r.Response!).Split('\n').Single(l => l.StartsWith("CLOCK_AT_START=", StringComparison.Ordinal))).Order(StringComparer.Ordinal);
        Assert.Equal(["CLOCK_AT_START=1", "CLOCK_AT_START=2"], seen);
    }

    [Fact]
    public void Create_TemplateVariableWithAReservedKey_IsRefused()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);

        var refused = Assert.Throws<ArgumentException>(() => new LambdaFunction(runtime.Definition(environment: new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" })));

        Assert.Contains("Reserved keys used in this request: AWS_REGION", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_StdoutLines_ReachTheSinkTaggedWithTheEnvironment()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(), new LambdaHostOptions { Output = output.Sink });

        var result = await function.InvokeAsync(Bytes("hello"));

        await output.WaitForAsync("got ");
        Assert.Equal(["started ", $"got {result.RequestId}"], output.Of("probe-1").Select(l => l.StartsWith("started ", StringComparison.Ordinal) ? "started " : l));
    }

    [Fact]
    public async Task InitError_RuntimePostsInitError_FailsTheInvocationAndTheNextOneStartsAFreshProcess()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.InitErrorOnce);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(), new LambdaHostOptions { Output = output.Sink });

        var failed = await function.InvokeAsync(Bytes("first"));
        var firstPid = await output.PidAsync("started");
        var retried = await function.InvokeAsync(Bytes("second"));

        Assert.Equal((InvocationOutcome.InitError, "probe-1", true), (failed.Outcome, failed.EnvironmentId, failed.ColdStart));
        Assert.Equal("Runtime.InvalidSetting", failed.ErrorType);
        Assert.Equal("SIGNAL_QUEUE_URL is not set", failed.ErrorMessage);
        Assert.True(await GoneAsync(firstPid));
        Assert.Equal((InvocationOutcome.Success, "probe-2", true), (retried.Outcome, retried.EnvironmentId, retried.ColdStart));
        Assert.Equal("second", Encoding.UTF8.GetString(retried.Response!));
        Assert.Equal((2, 1, 1), (function.Counters.ColdStarts, function.Counters.InitErrors, function.Counters.Successes));
    }

    [Fact]
    public async Task InitError_ProcessExitsBeforeAskingForTheInvocation_IsAnExitErrorAtInitWithItsStderr()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.CrashBeforeNext);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(), new LambdaHostOptions { Output = output.Sink });

        var failed = await function.InvokeAsync(Bytes("{}"));

        Assert.Equal(InvocationOutcome.InitError, failed.Outcome);
        Assert.Equal("Runtime.ExitError", failed.ErrorType);
        Assert.Equal($"RequestId: {failed.RequestId} Error: Runtime exited with error: exit status 1", failed.ErrorMessage);
        Assert.Contains("cannot load Amazon.Lambda.Core", output.Of("probe-1"));
    }

    [Fact]
    public async Task Timeout_HandlerSleepsPastIt_KillsTheProcessTreeAndTheNextInvocationIsAColdStart()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 1), new LambdaHostOptions { Output = output.Sink });
        var elapsed = Stopwatch.StartNew();

        var timedOut = await function.InvokeAsync(Bytes("sleep"));
        elapsed.Stop();
        var next = await function.InvokeAsync(Bytes("after"));

        Assert.Equal(InvocationOutcome.TimedOut, timedOut.Outcome);
        Assert.Equal("Sandbox.Timedout", timedOut.ErrorType);
        Assert.Equal($"RequestId: {timedOut.RequestId} Error: Task timed out after 1.00 seconds", timedOut.ErrorMessage);
        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(1), $"killed after {elapsed.Elapsed}, before the 1 s timeout");
        Assert.True(await GoneAsync(await output.PidAsync("started")));
        Assert.True(await GoneAsync(await output.PidAsync("child")));
        Assert.Equal((InvocationOutcome.Success, "probe-2", true), (next.Outcome, next.EnvironmentId, next.ColdStart));
        Assert.Equal((2, 1), (function.Counters.ColdStarts, function.Counters.Timeouts));
    }

    [Fact]
    public async Task Died_ProcessExitsMidInvocation_EndsAsDiedWithItsPartialOutputFlushed()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        await using var function = new LambdaFunction(runtime.Definition(), new LambdaHostOptions { Output = output.Sink });

        var died = await function.InvokeAsync(Bytes("exit!"));
        var linesAtReturn = output.Of("probe-1");
        var next = await function.InvokeAsync(Bytes("after"));

        Assert.Equal(InvocationOutcome.Died, died.Outcome);
        Assert.Null(died.Response);
        Assert.Equal("Runtime.ExitError", died.ErrorType);
        Assert.Equal($"RequestId: {died.RequestId} Error: Runtime exited with error: exit status 3", died.ErrorMessage);
        Assert.Equal("half a line", linesAtReturn[^1]);
        Assert.Equal((InvocationOutcome.Success, "probe-2", true), (next.Outcome, next.EnvironmentId, next.ColdStart));
        Assert.Equal(1, function.Counters.Deaths);
    }

    [Fact]
    public async Task Kill_FromOutsideByAccessKeyDuringAnInvocation_EndsItAsDied()
    {
        using var runtime = StandInRuntime.Create(StandInRuntime.Controlled);
        var output = new OutputLines();
        var registry = new EnvironmentRegistry();
        await using var function = new LambdaFunction(runtime.Definition(timeoutSeconds: 10), new LambdaHostOptions { Output = output.Sink, Registry = registry });

        var invocation = function.InvokeAsync(Bytes("sleep"));
        var got = await output.WaitForAsync("got ");
        Assert.True(registry.TryFindByAccessKey("ASIAPROBE0001", out var environment));
        Assert.Equal(("probe", "probe-1", got[4..]), (environment.FunctionName, environment.EnvironmentId, environment.CurrentRequestId));
        environment.Kill();
        var died = await invocation;

        Assert.Equal(InvocationOutcome.Died, died.Outcome);
        Assert.Equal(got[4..], died.RequestId);
        Assert.Equal("Runtime.ExitError", died.ErrorType);
        Assert.True(await GoneAsync(await output.PidAsync("child")));
        Assert.False(registry.TryFindByAccessKey("ASIAPROBE0001", out _));
    }
}
