using System.CommandLine;
using System.Globalization;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;
using Spectre.Console;

namespace FlowLogEvents.Local;

/// <summary>
/// <c>dotnet run --project src/FlowLogEvents.Local</c>: one local run of the real functions against
/// moto_server, with live progress and a verdict. Exit code 0 when every record reached S3 exactly
/// once, 1 when not (or the run timed out), 2 when it could not start.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var defaults = new ScenarioOptions();
        var logGroups = Opt("--log-groups", "Log groups receiving VPC flow log traffic", defaults.LogGroups);
        var enis = Opt("--enis", "ENIs (log streams) per log group", defaults.EnisPerLogGroup);
        var minutes = Opt("--minutes", "Simulated minutes of traffic", (int)defaults.Duration.TotalMinutes);
        var records = Opt("--records-per-minute", "Flow records per ENI per minute", defaults.RecordsPerEniPerMinute);
        var aggregation = Opt("--aggregation", "Aggregation interval in minutes (1 or 10)", defaults.AggregationMinutes);
        var deliveryDelay = Opt("--delivery-delay", "Typical delivery delay after an interval, minutes (jittered ±50 %)", defaults.DeliveryDelay.TotalMinutes);
        var lateFraction = Opt("--late-fraction", "Share of late records (0-1)", defaults.LateFraction);
        var lateness = Opt("--lateness", "A late record is up to this many minutes older than its delivery", defaults.Lateness.TotalMinutes);
        var silent = Opt("--silent", "Log groups that fall silent halfway", defaults.SilentLogGroups);
        var speed = Opt("--speed", "Time compression: simulated seconds per real second", defaults.Speed);
        var realtime = new Option<bool>("--realtime") { Description = "Run in real time (same as --speed 1)" };
        var seed = Opt("--seed", "Seed of the traffic generator and the instance routing", defaults.Seed);
        var settle = new Option<int?>("--settle-delay") { Description = "SETTLE_DELAY_SECONDS (default: serverless.template's, 1260)" };
        var debounce = new Option<int?>("--debounce") { Description = "DEBOUNCE_SECONDS (default: serverless.template's, 60)" };
        var claimLease = new Option<int?>("--claim-lease") { Description = "CLAIM_LEASE_SECONDS (default: serverless.template's, 900)" };
        var minWindow = new Option<int?>("--min-export-window") { Description = "MIN_EXPORT_WINDOW_SECONDS (default: serverless.template's, 300)" };
        var lateEvents = new Option<string?>("--late-events") { Description = "LATE_EVENTS: report or reexport (default: serverless.template's, report)" };
        var foreign = Opt("--foreign-exports", "Export tasks of another tool that take the account's single export slot during the traffic", defaults.ForeignExports);
        var foreignMinutes = Opt("--foreign-export-minutes", "How long each of them holds the slot, simulated minutes", defaults.ForeignExportDuration.TotalMinutes);
        var instances = Opt("--signal-instances", "Warm execution environments of the signal function", defaults.SignalInstances);
        var taskMinutes = Opt("--task-minutes", "Median export task time (PENDING + RUNNING), simulated minutes; log-normal spread, 3 % of tasks 5-20 times longer, FAILED past 24 h", ExportTaskTiming.DefaultTaskMinutes);
        taskMinutes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 2880)
            {
                r.AddError("--task-minutes must be between 0 and 2880");
            }
        });
        var drain = Opt("--drain-timeout", "Simulated minutes after the last delivery before the run fails", (int)defaults.DrainTimeout.TotalMinutes);
        var output = new Option<string?>("--output") { Description = "Folder of the report and function log (default artifacts/local-runs/<stamp>)" };
        var keep = new Option<bool>("--keep") { Description = "Leave moto_server running and print how to inspect it with the aws CLI" };
        var package = new Option<string?>("--package") { Description = "A published function package (a folder with bootstrap at its root) to run; default: publish src/FlowLogEvents.Bootstrap for this machine into artifacts/lambda/<rid>" };
        var inProcess = new Option<bool>("--in-process") { Description = "Run the handlers inside this process instead of the package's processes (no Runtime API, no process deaths)" };

        var root = new RootCommand("FlowLogEvents local run: the real signal and export functions against moto_server, with a verdict on every flow record.")
        {
            logGroups, enis, minutes, records, aggregation, deliveryDelay, lateFraction, lateness, silent, speed, realtime, seed, settle, debounce, claimLease, minWindow, lateEvents, foreign, foreignMinutes, instances, taskMinutes, drain, output, keep, package, inProcess,
        };
        var quick = new Option<bool>("--quick") { Description = "Only the CI subset, at reduced sizes" };
        var only = new Option<string?>("--only") { Description = "Only scenarios whose name contains this text" };
        var matrixSpeed = Opt("--speed", "Time compression of every scenario (the matrix's small scenarios keep up at 60)", 60.0);
        var matrixOutput = new Option<string?>("--output") { Description = "Folder of matrix.md, matrix.json and each run's report (default artifacts/reliability/<stamp>)" };
        var matrixPackage = new Option<string?>("--package") { Description = package.Description };
        var matrix = new Command("matrix", "Reliability matrix: every fault alone, then mixed in seeded schedules; writes matrix.md and matrix.json. Exit code 0 when no scenario lost a record or duplicated one unexplained.")
        {
            quick, only, matrixSpeed, matrixOutput, matrixPackage,
        };
        matrix.SetAction((parse, ct) => RunMatrixAsync(parse.GetValue(quick), parse.GetValue(only), parse.GetValue(matrixSpeed), parse.GetValue(matrixOutput), parse.GetValue(matrixPackage), ct));
        root.Subcommands.Add(matrix);
        var rounds = Opt("--runs", "Fresh environments per package and function (after one uncounted warm-up round)", 15);
        var variants = new Option<string[]>("--package") { Description = "name=folder of a published package (repeatable); default: ReadyToRun published now, plus Native AOT when it builds here", AllowMultipleArgumentsPerToken = true };
        var coldstart = new Command("coldstart", "Cold start and memory of the published package: fresh processes on the local Lambda service answer one real-shaped event each (moto_server behind them); prints a Markdown table.")
        {
            rounds, variants,
        };
        coldstart.SetAction((parse, ct) => RunColdStartAsync(parse.GetValue(rounds), parse.GetValue(variants) ?? [], ct));
        root.Subcommands.Add(coldstart);
        root.SetAction((parse, ct) =>
        {
            var options = new ScenarioOptions
            {
                LogGroups = parse.GetValue(logGroups),
                EnisPerLogGroup = parse.GetValue(enis),
                Duration = TimeSpan.FromMinutes(parse.GetValue(minutes)),
                RecordsPerEniPerMinute = parse.GetValue(records),
                AggregationMinutes = parse.GetValue(aggregation),
                DeliveryDelay = TimeSpan.FromMinutes(parse.GetValue(deliveryDelay)),
                LateFraction = parse.GetValue(lateFraction),
                Lateness = TimeSpan.FromMinutes(parse.GetValue(lateness)),
                SilentLogGroups = parse.GetValue(silent),
                Speed = parse.GetValue(realtime) ? 1 : parse.GetValue(speed),
                Seed = parse.GetValue(seed),
                SettleDelay = parse.GetValue(settle) is { } s ? TimeSpan.FromSeconds(s) : null,
                Debounce = parse.GetValue(debounce) is { } d ? TimeSpan.FromSeconds(d) : null,
                ClaimLease = parse.GetValue(claimLease) is { } l ? TimeSpan.FromSeconds(l) : null,
                LateEvents = parse.GetValue(lateEvents),
                MinExportWindow = parse.GetValue(minWindow) is { } w ? TimeSpan.FromSeconds(w) : null,
                ForeignExports = parse.GetValue(foreign),
                ForeignExportDuration = TimeSpan.FromMinutes(parse.GetValue(foreignMinutes)),
                SignalInstances = parse.GetValue(instances),
                DrainTimeout = TimeSpan.FromMinutes(parse.GetValue(drain)),
                ExportTiming = ExportTaskTiming.Typical(TimeSpan.FromMinutes(parse.GetValue(taskMinutes))),
                OutputDirectory = parse.GetValue(output),
            };
            return RunAsync(options, parse.GetValue(keep), parse.GetValue(package), parse.GetValue(inProcess), ct);
        });
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }).ConfigureAwait(false);
    }

    private static Option<T> Opt<T>(string name, string description, T fallback) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback };

    /// <summary>The package a run starts: the one given, or src/FlowLogEvents.Bootstrap published now for this machine.</summary>
    private static async Task<string?> PackageAsync(string? given, CancellationToken ct)
    {
        if (given is not null)
        {
            return FunctionPackage.Open(given, FunctionPackage.HostRuntimeIdentifier).Directory;
        }

        var root = FunctionPackage.FindRepositoryRoot(Environment.CurrentDirectory);
        var rid = FunctionPackage.HostRuntimeIdentifier;
        var folder = Path.Combine(root, "artifacts", "lambda", rid);
        Console.Out.WriteLine($"Publishing {FunctionPackage.BootstrapProject} for {rid} (self-contained, ReadyToRun) into {folder} ...");
        var published = await FunctionPackage.PublishAsync(root, rid, folder, ct).ConfigureAwait(false);
        return published.Directory;
    }

    private static async Task<int> RunColdStartAsync(int rounds, string[] given, CancellationToken ct)
    {
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in given)
        {
            var parts = entry.Split('=', 2);
            packages[parts[0]] = FunctionPackage.Open(parts.Length == 2 ? parts[1] : parts[0], FunctionPackage.HostRuntimeIdentifier).Directory;
        }

        if (packages.Count == 0)
        {
            packages["ReadyToRun"] = (await PackageAsync(null, ct).ConfigureAwait(false))!;
            var root = FunctionPackage.FindRepositoryRoot(Environment.CurrentDirectory);
            var aot = Path.Combine(root, "artifacts", "lambda", FunctionPackage.HostRuntimeIdentifier + "-aot");
            try
            {
                Console.Out.WriteLine($"Publishing Native AOT into {aot} ...");
                packages["Native AOT"] = (await FunctionPackage.PublishAsync(root, FunctionPackage.HostRuntimeIdentifier, aot, ct, "-p:PublishAot=true").ConfigureAwait(false)).Directory;
            }
            catch (InvalidOperationException ex)
            {
                Console.Out.WriteLine($"Native AOT did not build here, measured without it: {ex.Message}");
            }
        }

        var (moto, started, error) = await StartMotoAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }

        try
        {
            var samples = await ColdStartProbe.RunAsync(moto, packages, rounds, line => Console.Out.WriteLine(line), ct).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.Write(ColdStartProbe.Markdown(samples, packages));
            return samples.All(s => s.Outcome == Lambda.InvocationOutcome.Success) ? 0 : 1;
        }
        finally
        {
            if (started is not null)
            {
                await started.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunMatrixAsync(bool quick, string? only, double speed, string? output, string? package, CancellationToken ct)
    {
        var packageDirectory = await PackageAsync(package, ct).ConfigureAwait(false);
        var scenarios = (quick ? ReliabilityMatrix.Quick(speed) : ReliabilityMatrix.Full(speed))
            .Where(s => only is null || s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
            .Select(s => s with { Options = s.Options with { PackageDirectory = packageDirectory } })
            .ToList();
        if (scenarios.Count == 0)
        {
            await Console.Error.WriteLineAsync($"no scenario matches '{only}'").ConfigureAwait(false);
            return 2;
        }

        var (moto, started, error) = await StartMotoAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }

        try
        {
            var folder = output ?? Path.Combine("artifacts", "reliability", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var rows = await ReliabilityMatrix.RunAsync(moto, scenarios, folder, line => Console.Out.WriteLine(line), ct).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.Write(ReliabilityMatrix.Markdown(rows));
            Console.Out.WriteLine($"\nWritten: {Path.Combine(folder, "matrix.md")} and matrix.json");
            return rows.All(r => r.Pass) ? 0 : 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        finally
        {
            if (started is not null)
            {
                await started.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(Uri? Moto, MotoServerProcess? Started, string? Error)> StartMotoAsync(CancellationToken ct)
    {
        var endpointOverride = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(endpointOverride))
        {
            return (new Uri(endpointOverride), null, null);
        }

        if (MotoServerProcess.Locate() is null)
        {
            return (null, null, $"moto_server was not found on PATH nor in ~/.pyenv/shims. Install it with:\n\n    {MotoServerProcess.InstallHint}\n\nor point AWS_ENDPOINT_URL at a running moto_server.");
        }

        try
        {
            var started = await MotoServerProcess.StartAsync(ct).ConfigureAwait(false);
            Console.Out.WriteLine($"Started moto_server on {started.Endpoint} (pid {started.ProcessId}).");
            return (started.Endpoint, started, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            return (null, null, $"moto_server did not start: {ex.Message}\nInstall or repair it with: {MotoServerProcess.InstallHint}");
        }
    }

    private static async Task<int> RunAsync(ScenarioOptions options, bool keep, string? package, bool inProcess, CancellationToken ct)
    {
        try
        {
            options.Validate();
            if (!inProcess)
            {
                ProcessClock.EnsureInstalled();
                options = options with { PackageDirectory = await PackageAsync(package, ct).ConfigureAwait(false) };
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"invalid option: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        MotoServerProcess? started = null;
        Uri moto;
        var endpointOverride = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(endpointOverride))
        {
            moto = new Uri(endpointOverride);
            AnsiConsole.MarkupLine($"Using the moto_server at [bold]{Markup.Escape(moto.ToString())}[/] (AWS_ENDPOINT_URL).");
        }
        else
        {
            if (MotoServerProcess.Locate() is null)
            {
                await Console.Error.WriteLineAsync($"moto_server was not found on PATH nor in ~/.pyenv/shims. Install it with:\n\n    {MotoServerProcess.InstallHint}\n\nor point AWS_ENDPOINT_URL at a running moto_server.").ConfigureAwait(false);
                return 2;
            }

            try
            {
                started = await MotoServerProcess.StartAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
            {
                await Console.Error.WriteLineAsync($"moto_server did not start: {ex.Message}\nInstall or repair it with: {MotoServerProcess.InstallHint}").ConfigureAwait(false);
                return 2;
            }

            moto = started.Endpoint;
            AnsiConsole.MarkupLine($"Started moto_server on [bold]{moto}[/] (pid {started.ProcessId}).");
        }

        var keepMoto = false;
        try
        {
            var result = await RunWithViewAsync(moto, options, ct).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.Write(RunReport.Markdown(result));
            if (keep && started is not null)
            {
                keepMoto = true;
                PrintInspection(result, started.ProcessId);
            }

            return result.Ok ? 0 : 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        finally
        {
            if (started is not null && !keepMoto)
            {
                await started.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<ScenarioResult> RunWithViewAsync(Uri moto, ScenarioOptions options, CancellationToken ct)
    {
        ScenarioProgress? latest = null;
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var lastPrinted = DateTime.MinValue;
            return await ScenarioRunner.RunAsync(
                moto,
                options,
                p =>
                {
                    if (DateTime.UtcNow - lastPrinted >= TimeSpan.FromSeconds(5))
                    {
                        lastPrinted = DateTime.UtcNow;
                        Console.Out.WriteLine(ProgressLine(p));
                    }
                },
                ct).ConfigureAwait(false);
        }

        ScenarioResult? result = null;
        await AnsiConsole.Live(new Text("provisioning the local cloud...")).AutoClear(false).StartAsync(async live =>
        {
            var run = ScenarioRunner.RunAsync(moto, options, p => Volatile.Write(ref latest, p), ct);
            while (!run.IsCompleted)
            {
                if (Volatile.Read(ref latest) is { } p)
                {
                    live.UpdateTarget(View(p));
                }

                await Task.WhenAny(run, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
            }

            if (Volatile.Read(ref latest) is { } last)
            {
                live.UpdateTarget(View(last));
            }

            result = await run.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result!;
    }

    private static string ProgressLine(ScenarioProgress p)
    {
        var c = p.Counters;
        var done = p.Groups.Count(g => g.Done);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{p.RealElapsed.TotalSeconds,6:0.0}s] {p.Phase}: sim {p.SimulatedNow:HH:mm:ss}, batches {p.BatchesWritten}/{p.BatchesTotal}, events {c.EventsIngested}, invocations {c.SubscriptionInvocations}, signals sent {c.Event("signal.sent")} suppressed {c.Event("signal.suppressed")}, tasks {p.Tasks?.Completed ?? 0} done {p.Tasks?.Active ?? 0} active {p.Tasks?.LimitExceededAnswers ?? 0} limit-exceeded, queue {p.QueueDepth} dlq {p.DeadLetterDepth}, log groups done {done}/{p.Groups.Count}");
    }

    private static Rows View(ScenarioProgress p)
    {
        var c = p.Counters;
        var header = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(p.Phase)}[/]  simulated [cyan]{p.SimulatedNow:yyyy-MM-dd HH:mm:ss}Z[/]  real [cyan]{p.RealElapsed.TotalSeconds:0.0} s[/]  traffic batches [cyan]{p.BatchesWritten}/{p.BatchesTotal}[/]"));

        var pipeline = new Table().Border(TableBorder.Rounded).Title("pipeline");
        pipeline.AddColumn("stage").AddColumn(new TableColumn("count").RightAligned()).AddColumn("detail");
        pipeline.AddRow("events ingested", N(c.EventsIngested), $"{N(c.PutLogEventsCalls)} PutLogEvents calls");
        pipeline.AddRow("subscription invocations", N(c.SubscriptionInvocations), $"{N(c.SubscriptionErrors)} errors, {N(c.SubscriptionsDropped)} dropped");
        pipeline.AddRow("signals sent", N(c.Event("signal.sent")), $"{N(c.Event("signal.suppressed"))} suppressed by warm instances, {N(c.DataSignalsReceived)} reached the export function");
        pipeline.AddRow("export invocations", N(c.ExportInvocations), $"{N(c.ContinuationsReceived)} continuations, {N(c.RecordsReportedFailed)} records failed");
        pipeline.AddRow("export tasks running", N(p.Tasks?.Active ?? 0), $"{N(p.Tasks?.Created ?? 0)} created, seen PENDING {N(p.Tasks?.SeenPending ?? 0)} / RUNNING {N(p.Tasks?.SeenRunning ?? 0)}");
        pipeline.AddRow("export tasks completed", N(p.Tasks?.Completed ?? 0), $"{N(p.Tasks?.LimitExceededAnswers ?? 0)} LimitExceededException, {N(c.SlotBusyDeferrals)} deferred");
        pipeline.AddRow("queue depth", N(p.QueueDepth), $"DLQ {N(p.DeadLetterDepth)}");

        var groups = new Table().Border(TableBorder.Rounded).Title("checkpoints");
        groups.AddColumn("log group").AddColumn(new TableColumn("records").RightAligned()).AddColumn("exported through").AddColumn(new TableColumn("lag").RightAligned()).AddColumn(new TableColumn("exports").RightAligned()).AddColumn("state");
        foreach (var g in p.Groups)
        {
            var lag = p.LagOf(g);
            groups.AddRow(
                Markup.Escape(g.LogGroup) + (g.Silent ? " [grey](silent)[/]" : string.Empty),
                N(g.Records),
                g.ExportedThrough is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                lag is { } l ? $"{(int)l.TotalMinutes}m{l.Seconds:00}s" : "-",
                N(g.ExportsCompleted),
                g.Done ? "[green]done[/]" : g.TaskInFlight ? "[yellow]exporting[/]" : "waiting");
        }

        return new Rows(header, pipeline, groups);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void PrintInspection(ScenarioResult result, int pid)
    {
        var endpoint = result.MotoEndpoint.ToString().TrimEnd('/');
        Console.Out.WriteLine();
        Console.Out.WriteLine($"moto_server keeps running at {endpoint} (pid {pid}); stop it with: kill {pid}");
        Console.Out.WriteLine("Inspect it with the aws CLI (any credentials, region us-east-1):");
        Console.Out.WriteLine("    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} s3 ls s3://{result.Bucket}/ --recursive");
        foreach (var group in result.Groups)
        {
            Console.Out.WriteLine($"    aws --endpoint-url {endpoint} s3 cp \"s3://{result.Bucket}/{result.StatePrefix}/{Uri.EscapeDataString(group.LogGroup)}.json\" -   # checkpoint of {group.LogGroup}");
        }

        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} logs describe-log-groups --log-group-name-prefix /vpc/local-{result.RunId}");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} logs describe-log-streams --log-group-name {result.Groups[0].LogGroup}");
        Console.Out.WriteLine("    (export tasks lived in the CloudWatch Logs front, which ended with this run; moto's describe-export-tasks is empty)");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} sqs get-queue-attributes --queue-url {result.SignalQueueUrl} --attribute-names All");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} sqs receive-message --queue-url {result.DeadLetterQueueUrl} --attribute-names All --message-attribute-names All");
    }
}
