using System.CommandLine;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;
using Spectre.Console;

namespace FlowLogEvents.Local.Commands;

/// <summary>
/// The root command: one local run of the real functions against moto_server, with live progress and a verdict.
/// Exit code 0 when every record reached S3 exactly once, 1 when not (or the run timed out), 2 when it could not
/// start, 130 when cancelled.
/// </summary>
internal static class RunCommand
{
    public static RootCommand Create()
    {
        var defaults = new ScenarioOptions();
        var logGroups = CommandOption.WithDefault("--log-groups", "Log groups receiving VPC flow log traffic", defaults.LogGroups);
        var enis = CommandOption.WithDefault("--enis", "ENIs (log streams) per log group", defaults.EnisPerLogGroup);
        var minutes = CommandOption.WithDefault("--minutes", "Simulated minutes of traffic", (int)defaults.Duration.TotalMinutes);
        var records = CommandOption.WithDefault("--records-per-minute", "Flow records per ENI per minute", defaults.RecordsPerEniPerMinute);
        var aggregation = CommandOption.WithDefault("--aggregation", "Aggregation interval in minutes (1 or 10)", defaults.AggregationMinutes);
        var deliveryDelay = CommandOption.WithDefault("--delivery-delay", "Typical delivery delay after an interval, minutes (jittered ±50 %)", defaults.DeliveryDelay.TotalMinutes);
        var lateFraction = CommandOption.WithDefault("--late-fraction", "Share of late records (0-1)", defaults.LateFraction);
        var lateness = CommandOption.WithDefault("--lateness", "A late record is up to this many minutes older than its delivery", defaults.Lateness.TotalMinutes);
        var silent = CommandOption.WithDefault("--silent", "Log groups that fall silent halfway", defaults.SilentLogGroups);
        var speed = CommandOption.WithDefault("--speed", "Time compression: simulated seconds per real second", defaults.Speed);
        var realtime = new Option<bool>("--realtime") { Description = "Run in real time (same as --speed 1)" };
        var seed = CommandOption.WithDefault("--seed", "Seed of the traffic generator and the instance routing", defaults.Seed);
        var settle = new Option<int?>("--settle-delay") { Description = "SETTLE_DELAY_SECONDS (default: serverless.template's, 1260)" };
        var debounce = new Option<int?>("--debounce") { Description = "DEBOUNCE_SECONDS (default: serverless.template's, 60)" };
        var claimLease = new Option<int?>("--claim-lease") { Description = "CLAIM_LEASE_SECONDS (default: serverless.template's, 900)" };
        var minWindow = new Option<int?>("--min-export-window") { Description = "MIN_EXPORT_WINDOW_SECONDS (default: serverless.template's, 300)" };
        var lateEvents = new Option<string?>("--late-events") { Description = "LATE_EVENTS: repair, report or reexport (default: serverless.template's, repair)" };
        var foreign = CommandOption.WithDefault("--foreign-exports", "Export tasks of another tool that take the account's single export slot during the traffic", defaults.ForeignExports);
        var foreignMinutes = CommandOption.WithDefault("--foreign-export-minutes", "How long each of them holds the slot, simulated minutes", defaults.ForeignExportDuration.TotalMinutes);
        var instances = CommandOption.WithDefault("--signal-instances", "Warm execution environments of the signal function", defaults.SignalInstances);
        var taskMinutes = CommandOption.WithDefault("--task-minutes", "Median export task time (PENDING + RUNNING), simulated minutes; log-normal spread, 3 % of tasks 5-20 times longer, FAILED past 24 h", ExportTaskTiming.DefaultTaskMinutes);
        taskMinutes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 2880)
            {
                r.AddError("--task-minutes must be between 0 and 2880");
            }
        });
        var availabilityLag = CommandOption.WithDefault("--availability-lag", "Largest lag from ingestion to availability for export, minutes (AWS: up to 720); 90 % of events within 30 s, 10 % uniform up to it; 0 = off", defaults.AvailabilityLag.TotalMinutes);
        availabilityLag.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 720)
            {
                r.AddError("--availability-lag must be between 0 and 720 minutes");
            }
        });
        var queryLag = CommandOption.WithDefault("--query-lag", "Largest lag from ingestion to visibility for FilterLogEvents and Logs Insights, seconds; 90 % within 30 s; 0 = off", defaults.QueryLag.TotalSeconds);
        queryLag.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 3600)
            {
                r.AddError("--query-lag must be between 0 and 3600 seconds");
            }
        });
        var drain = CommandOption.WithDefault("--drain-timeout", "Simulated minutes after the last delivery before the run fails", (int)defaults.DrainTimeout.TotalMinutes);
        var output = new Option<string?>("--output") { Description = "Folder of the report and function log (default artifacts/local-runs/<stamp>)" };
        var keep = new Option<bool>("--keep") { Description = "Leave moto_server running and print how to inspect it with the aws CLI" };
        var package = new Option<string?>("--package") { Description = FunctionPackages.PackageDescription };
        var settleMode = new Option<string?>("--settle-mode") { Description = "SETTLE_DELAY_MODE: learn or fixed (default: serverless.template's, learn)" };
        var untilFinal = new Option<bool>("--until-final") { Description = "Wait until every window passed its last verification check (12 h 15 min simulated after its export), not only its first" };
        var inProcess = new Option<bool>("--in-process") { Description = "Run the handlers inside this process instead of the package's processes (no Runtime API, no process deaths)" };

        var root = new RootCommand("FlowLogEvents local run: the real signal and export functions against moto_server, with a verdict on every flow record.")
        {
            logGroups, enis, minutes, records, aggregation, deliveryDelay, lateFraction, lateness, silent, speed, realtime, seed, settle, debounce, claimLease, minWindow, lateEvents, foreign, foreignMinutes, instances, taskMinutes, availabilityLag, queryLag, drain, settleMode, untilFinal, output, keep, package, inProcess,
        };
        root.SetAction((parse, ct) =>
        {
            var scenario = new ScenarioOptions
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
                UntilFinal = parse.GetValue(untilFinal),
                SettleDelayMode = parse.GetValue(settleMode),
                ExportTiming = ExportTaskTiming.Typical(TimeSpan.FromMinutes(parse.GetValue(taskMinutes))),
                AvailabilityLag = TimeSpan.FromMinutes(parse.GetValue(availabilityLag)),
                QueryLag = TimeSpan.FromSeconds(parse.GetValue(queryLag)),
                OutputDirectory = parse.GetValue(output),
            };
            return ExecuteAsync(new RunCommandOptions(scenario, parse.GetValue(keep), parse.GetValue(package), parse.GetValue(inProcess)), ct);
        });
        return root;
    }

    public static async Task<int> ExecuteAsync(RunCommandOptions command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = command.Scenario;
        try
        {
            options.Validate();
            if (!command.InProcess)
            {
                ProcessClock.EnsureInstalled();
                options = options with { PackageDirectory = await FunctionPackages.PackageAsync(command.Package, ct).ConfigureAwait(false) };
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

        var moto = await MotoEndpoint.AcquireOrReportAsync(ct).ConfigureAwait(false);
        if (moto is null)
        {
            return 2;
        }

        await using (moto.ConfigureAwait(false))
        {
            if (moto.Started is { } started)
            {
                AnsiConsole.MarkupLine($"Started moto_server on [bold]{moto.Endpoint}[/] (pid {started.ProcessId}).");
            }
            else
            {
                AnsiConsole.MarkupLine($"Using the moto_server at [bold]{Markup.Escape(moto.Endpoint.ToString())}[/] (AWS_ENDPOINT_URL).");
            }

            try
            {
                var result = await RunLiveView.RunAsync(moto.Endpoint, options, ct).ConfigureAwait(false);
                Console.Out.WriteLine();
                Console.Out.Write(RunReport.Markdown(result));
                if (command.Keep && moto.Started is { } kept)
                {
                    moto.Keep();
                    MotoInspection.Print(result, kept.ProcessId);
                }

                return result.Ok ? 0 : 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return 130;
            }
        }
    }
}
