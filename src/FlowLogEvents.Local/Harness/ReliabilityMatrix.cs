using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FlowLogEvents.Local.Faults;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// The reliability matrix: every fault alone, then mixed in seeded random schedules; each run verified
/// record by record. <see cref="Quick"/> is the CI subset (reduced sizes, the most important scenarios).
/// </summary>
public static class ReliabilityMatrix
{
    /// <summary>Deliveries Lambda gives up on (all three attempts fail), the trailing ones before a log group falls silent.</summary>
    public const string SignalRetriesExhausted = "signal retries exhausted, then silence";

    /// <summary>The full matrix. Sizes fit a 2-core machine at speed 60.</summary>
    public static IReadOnlyList<MatrixScenario> Full(double speed = 60)
    {
        var b = new ScenarioOptions
        {
            LogGroups = 2,
            EnisPerLogGroup = 8,
            Duration = TimeSpan.FromMinutes(30),
            RecordsPerEniPerMinute = 2,
            AggregationMinutes = 10,
            DeliveryDelay = TimeSpan.FromMinutes(4),
            LateFraction = 0.05,

            // Every scenario: records late beyond the 21-minute settle delay, and exports that miss recent events.
            Lateness = TimeSpan.FromMinutes(35),
            AvailabilityLag = TimeSpan.FromMinutes(30),
            SilentLogGroups = 1,
            ForeignExports = 1,
            Speed = speed,
            Seed = 42,
            DrainTimeout = TimeSpan.FromMinutes(90),
        };
        var list = new List<MatrixScenario>
        {
            new("baseline", "no faults (1 foreign export task)", b),
            new("aws-errors", "5 % of AWS calls answered ThrottlingException / 5xx (SDK retries)", b with { Faults = new() { AwsErrorRate = 0.05 } }),
            new("aws-lost-responses", "5 % of AWS calls done but the response lost (5xx / connection reset)", b with { Faults = new() { LostResponseRate = 0.05 } }),
            new("aws-lost-responses, fast tasks", "20 % of AWS calls done but the response lost; export tasks finish in 1 s (before the SDK's retry)", b with { ExportTiming = FastTasks, Faults = new() { LostResponseRate = 0.2 } }),
            new("s3-conditional-conflicts", "10 % of conditional checkpoint / marker / quarantine writes answered 409 ConditionalRequestConflict (a racing writer)", b with { Faults = new() { ConditionalConflictRate = 0.1 } }),
            new("slot-held", "3 foreign export tasks hold the account's slot 10 min each", b with { ForeignExports = 3, ForeignExportDuration = TimeSpan.FromMinutes(10) }),
            new("tasks-failed-cancelled", "2 export tasks end FAILED, 2 CANCELLED", b with { Faults = new() { FailedTasks = 2, CancelledTasks = 2 } }),
            LargeWindowsFail(b),
        };
        list.AddRange(CrashSteps.All.Select(step => new MatrixScenario(
            "crash " + step,
            $"the process dies at {step} (30 % of the times it is reached, at most 2)",
            b with { Faults = new() { CrashAt = [step], CrashRate = 0.3, MaxCrashesPerStep = 2 } })));
        list.AddRange(
        [
            new("duplicate-deliveries", "20 % of subscription payloads delivered twice", b with { Faults = new() { DuplicateDeliveryRate = 0.2 } }),
            new("esm-redelivery", "the event source mapping does not delete 10 % of succeeded records", b with { Faults = new() { ForgetDeleteRate = 0.1 } }),
            new("concurrent-export", "30 % of batches also run by a second export function at the same time", b with { Faults = new() { ConcurrentExportRate = 0.3 } }),
            new("late-beyond-settle", "20 % of records up to 90 min late (settle delay 21 min): found by their windows' checks, repaired exactly", b with { LateFraction = 0.2, Lateness = TimeSpan.FromMinutes(90) }),
            new("availability lag 12 h", "10 % of events become available for export up to 12 h after ingestion (AWS's bound)", b with { AvailabilityLag = TimeSpan.FromHours(12) }),
            new("query lag 4 min", "Logs Insights and FilterLogEvents see events up to 4 min after ingestion, near the first check's 5 min", b with { QueryLag = TimeSpan.FromMinutes(4) }),
            new("clock-skew-ahead", "functions' clock 3 min ahead of the cloud", b with { Faults = new() { FunctionClockOffset = TimeSpan.FromMinutes(3) } }),
            new("clock-skew-behind", "functions' clock 3 min behind the cloud", b with { Faults = new() { FunctionClockOffset = TimeSpan.FromMinutes(-3) } }),
            new(SignalRetriesExhausted, "each log group's last 3 deliveries and 5 % of the others fail all three signal attempts (Lambda gives up on them); the silent log group sends nothing after", b with { Faults = new() { SignalFailureLastDeliveries = 3, SignalFailureRate = 0.05 } }),
            new(
                "task-history 3000",
                "the account already holds 3,000 other tasks; the process dies right before and right after CreateExportTask (50 % of the times, at most 3 each) and 2 foreign tasks hold the slot 10 min each, so windows are searched by name, found or never created",
                b with { TaskHistory = 3_000, ForeignExports = 2, ForeignExportDuration = TimeSpan.FromMinutes(10), Faults = new() { CrashAt = [CrashSteps.ExportBeforeCreate, CrashSteps.ExportAfterCreate], CrashRate = 0.5, MaxCrashesPerStep = 3 } }),
            new(PoisonedLogGroupName, "for the first 60 min DescribeExportTasks shows the first log group's tasks with a status code the product does not know (a permanent error of one log group); the other log groups must go on, none of their work in the DLQ; after the fault heals the DLQ is replayed", b with { Faults = new() { PoisonFirstLogGroupFor = TimeSpan.FromMinutes(60) } }),
            new("describe-lag", "DescribeExportTasks shows a new task only 30 s after its creation (no read-after-create)", b with { DescribeLag = TimeSpan.FromSeconds(30) }),
            new(StartOverName, "60 min of traffic; a log group's checkpoint deleted after its first completed export (30 min or later), its marker 5 min later (a start-over); the work set aside meanwhile is replayed from the DLQ", b with { Duration = TimeSpan.FromMinutes(60), Faults = new() { StartOverAt = TimeSpan.FromMinutes(30), StartOverMarkerAfter = TimeSpan.FromMinutes(5) } }),
        ]);
        list.AddRange(LongWaits(speed));
        for (var seed = 1; seed <= 3; seed++)
        {
            // Every death costs a visibility timeout plus a cold start (real seconds, simulated minutes at speed 60), and the
            // verification's four crash points raised the schedule to 7-9 deaths: 90 minutes was not enough for seed 2, which drained in 133.
            list.Add(new MatrixScenario($"mixed seed {seed}", "all faults at once (seeded schedule)", b with { Seed = seed, ForeignExports = 2, Faults = Mixed, DrainTimeout = TimeSpan.FromMinutes(180) }));
        }

        return list;
    }

    /// <summary>
    /// Waits longer than Lambda's recursive loop detection lets a continuation loop run (16 invocations, about
    /// 16 laps of the queue's 60 s delay, more when a lap's handler takes real seconds): a silent log group's
    /// trailing edge under a 40 min settle delay, the export slot held by another tool for 90 min, an export
    /// task running an hour. The settle scenario runs at a third of the speed, so that a lap's real handler
    /// time does not stretch its laps beyond 60 simulated seconds and the trailing edge really takes more
    /// than 16 of them; the hour-long tasks run one at a time (one export slot), so that scenario drains for 5 h.
    /// The DLQ is not replayed,
    /// so a stopped loop shows as records missing and a message left in the DLQ.
    /// </summary>
    public static IReadOnlyList<MatrixScenario> LongWaits(double speed = 60)
    {
        var b = new ScenarioOptions
        {
            LogGroups = 2,
            EnisPerLogGroup = 3,
            Duration = TimeSpan.FromMinutes(20),
            RecordsPerEniPerMinute = 2,
            AggregationMinutes = 10,
            DeliveryDelay = TimeSpan.FromMinutes(2),
            LateFraction = 0,

            // 10-minute aggregation + up to 3 minutes of delivery + 1 minute of skew, and no more: the waits below are the point.
            SettleDelay = TimeSpan.FromMinutes(15),
            ClaimLease = TimeSpan.FromMinutes(5),
            SilentLogGroups = 1,
            ForeignExports = 0,
            Speed = speed,
            Seed = 11,
            ReplayDeadLetters = false,
            DrainTimeout = TimeSpan.FromMinutes(180),
        };
        return
        [
            new("long wait: settle 40 min", "a silent log group's trailing edge waits a 40 min settle delay (about 40 laps of 60 s)", b with { SettleDelay = TimeSpan.FromMinutes(40), ClaimLease = null, Speed = speed / 3 }),
            new("long wait: slot held 90 min", "another tool's export task holds the account's slot for 90 min", b with { ForeignExports = 1, ForeignExportDuration = TimeSpan.FromMinutes(90) }),
            new("long wait: task runs 1 h", "every export task stays RUNNING for an hour", b with { ExportTiming = LocalCloud.ExportTaskTiming.Fixed(TimeSpan.FromSeconds(20), TimeSpan.FromHours(1)), DrainTimeout = TimeSpan.FromHours(5) }),
        ];
    }

    /// <summary>The CI subset: the scenarios that matter most, at reduced sizes (well under 2 minutes on 2 cores).</summary>
    public static IReadOnlyList<MatrixScenario> Quick(double speed = 60)
    {
        var b = new ScenarioOptions
        {
            LogGroups = 2,
            EnisPerLogGroup = 4,
            Duration = TimeSpan.FromMinutes(20),
            RecordsPerEniPerMinute = 2,
            AggregationMinutes = 10,
            DeliveryDelay = TimeSpan.FromMinutes(2),
            LateFraction = 0.05,
            Lateness = TimeSpan.FromMinutes(30),
            AvailabilityLag = TimeSpan.FromMinutes(30),
            ClaimLease = TimeSpan.FromMinutes(5),
            SilentLogGroups = 1,
            ForeignExports = 1,
            ForeignExportDuration = TimeSpan.FromMinutes(2),
            Speed = speed,
            Seed = 7,

            // The functions are processes: each cold start after a crash costs about a real second, a simulated minute at
            // speed 60, and every died or failed batch waits out the visibility timeout; 45 minutes was not always enough
            // for the mixed schedule's 4-6 deaths. A run that is done ends at once; this only bounds a stuck one.
            DrainTimeout = TimeSpan.FromMinutes(120),
        };
        return
        [
            new("crash around create and checkpoint", "the process dies around CreateExportTask, around checkpoint writes and between log groups (50 %, once each)", b with { Faults = new() { CrashAt = [CrashSteps.ExportAfterCreate, CrashSteps.ExportBeforeCheckpointWrite, CrashSteps.ExportAfterCheckpointWrite, CrashSteps.ExportBetweenLogGroups], CrashRate = 0.5, MaxCrashesPerStep = 1 } }),
            new("mixed", "all faults at once (seeded schedule)", b with { Faults = Mixed }),
            new("late beyond settle, repaired", "20 % of records up to 30 min late (settle delay 21 min), availability lag 30 min: found by the verification, repaired exactly", b with { LateFraction = 0.2 }),
            new("crash around verification", "the process dies around the Logs Insights query and around repair writes (50 %, once each)", b with { LateFraction = 0.2, Faults = new() { CrashAt = [CrashSteps.VerifyBeforeQuery, CrashSteps.VerifyAfterQuery, CrashSteps.VerifyBeforeRepairWrite, CrashSteps.VerifyAfterRepairWrite], CrashRate = 0.5, MaxCrashesPerStep = 1 } }),
            LargeWindowsFail(b),
        ];
    }

    /// <summary>
    /// The name of the start-over scenario. Its verdict counts apart, as explained, one extra copy of a record exported
    /// before the start-over and again after it (the new checkpoint starts at the earliest event the replayed work stands
    /// for, which the old one had exported in part); a second copy from either side alone is a failure.
    /// </summary>
    public const string StartOverName = "start-over with DLQ replay";

    /// <summary>The name of the scenario in which one log group fails every run for a while among healthy ones.</summary>
    public const string PoisonedLogGroupName = "poisoned log group among healthy ones";

    /// <summary>The name of the scenario in which every export task longer than 2 hours fails.</summary>
    public const string LargeWindowsFailName = "large-windows-fail";

    /// <summary>
    /// A backfill of 6 hours (EXPORT_START before the traffic) while every task longer than 2 hours fails ("too much data
    /// for one task", a 24-hour timeout compressed to 2 minutes): only windows cut small enough get exported.
    /// </summary>
    private static MatrixScenario LargeWindowsFail(ScenarioOptions b) => new(
        LargeWindowsFailName,
        "EXPORT_START 6 h before the traffic; every export task longer than 2 h FAILS (too much data for one task)",
        b with
        {
            LateFraction = 0,

            // At least 10 minutes: room for the harness to fall behind while the functions start, with no record late by design.
            SettleDelay = b.SettleDelay is { } settle && settle < TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : b.SettleDelay,
            ExportStartBeforeTraffic = TimeSpan.FromHours(6),

            // The backfill's windows are halved one failed task at a time behind a single export slot, and the last of
            // them is first checked 5 min after it completed: it finished about 80 simulated minutes after the last
            // delivery here, and later on a loaded CI machine (90 was not always enough). A run that is done ends at once.
            DrainTimeout = TimeSpan.FromMinutes(150),
            Faults = new() { FailTasksLongerThan = TimeSpan.FromHours(2), TooLongTaskFailsAfter = TimeSpan.FromMinutes(2) },
        });

    /// <summary>Export tasks that finish within a second: a task is done before the SDK retries the call that created it.</summary>
    public static LocalCloud.ExportTaskTiming FastTasks { get; } = LocalCloud.ExportTaskTiming.Fixed(TimeSpan.Zero, TimeSpan.FromSeconds(1));

    /// <summary>Every fault at once, at rates the harness can keep up with.</summary>
    public static FaultOptions Mixed { get; } = new()
    {
        AwsErrorRate = 0.03,
        LostResponseRate = 0.05,
        CrashAt = CrashSteps.All,
        CrashRate = 0.1,
        MaxCrashesPerStep = 1,
        DuplicateDeliveryRate = 0.1,
        ForgetDeleteRate = 0.05,
        ConcurrentExportRate = 0.2,
        FunctionClockOffset = TimeSpan.FromMinutes(1),
        FailedTasks = 1,
        CancelledTasks = 1,
    };

    /// <summary>Runs the scenarios one after the other on one moto_server; each run writes its report under <paramref name="output"/>.</summary>
    public static async Task<IReadOnlyList<MatrixRow>> RunAsync(Uri moto, IReadOnlyList<MatrixScenario> scenarios, string output, Action<string>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var rows = new List<MatrixRow>();
        for (var i = 0; i < scenarios.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var scenario = scenarios[i];
            var dir = Path.Combine(output, $"{i + 1:00}-{Slug(scenario.Name)}");
            onProgress?.Invoke($"[{i + 1}/{scenarios.Count}] {scenario.Name}: {scenario.What}");
            var watch = Stopwatch.StartNew();
            var result = await ScenarioRunner.RunAsync(moto, scenario.Options with { OutputDirectory = dir }, null, ct).ConfigureAwait(false);
            var row = MatrixRow.From(scenario, result, watch.Elapsed);
            rows.Add(row);
            onProgress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{scenarios.Count}] {scenario.Name}: {(row.Pass ? "PASS" : "FAIL")} missing {row.Missing} ({row.MissingExplained} explained), duplicated {row.Duplicated}, repaired {row.Repaired}, {row.Wall.TotalSeconds:0} s{(row.Failure is null ? string.Empty : ": " + row.Failure)}"));
        }

        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "matrix.md"), Markdown(rows), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "matrix.json"), Json(rows), ct).ConfigureAwait(false);
        return rows;
    }

    public static string Markdown(IReadOnlyList<MatrixRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| Scenario | Faults | Records | Ingested later than settle | Late signals | Exported | Missing | Missing, late beyond settle (policy) | Duplicated | Duplicated, late re-export or start-over (policy) | Unexpected | SDK retries | Injected AWS errors / lost responses | Crashes | ESM redeliveries | Async-invoke retries | Duplicate deliveries | Failed/cancelled tasks | CAS conflicts | DLQ: replayed / left | Loops stopped | Wall | Verdict |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
        {
            md.AppendLine(inv, $"| {r.Scenario} | {r.What} | {r.Generated} | {r.IngestedLate} | {r.LateSignals} | {r.Exported} | {r.MissingUnexplained} | {r.MissingExplained} | {r.DuplicatedUnexplained} | {r.DuplicatedExplained} | {r.Unexpected} | {r.SdkRetries} | {r.InjectedAwsErrors} / {r.LostResponses} | {r.Crashes} | {r.EsmRedeliveries} | {r.AsyncRetries} | {r.DuplicateDeliveries} | {r.FailedTasks} | {r.CheckpointConflicts} | {r.DeadLettersReplayed} / {r.DeadLetters} | {r.LoopsStopped} | {r.Wall.TotalSeconds:0} s | {(r.Pass ? "PASS" : "FAIL" + (r.Failure is null ? string.Empty : ": " + r.Failure.Replace('|', '/')))} |");
        }

        var total = rows.Aggregate(TimeSpan.Zero, (t, r) => t + r.Wall);
        md.AppendLine();
        md.AppendLine(inv, $"{rows.Count(r => r.Pass)} of {rows.Count} scenarios passed; {rows.Sum(r => r.Generated)} records, {rows.Sum(r => r.MissingUnexplained)} missing unexplained, {rows.Sum(r => r.MissingExplained)} missing explained by policy (late beyond settle), {rows.Sum(r => r.DuplicatedUnexplained)} duplicated unexplained, {rows.Sum(r => r.DuplicatedExplained)} duplicated explained by policy (late re-export) or a start-over; {rows.Sum(r => r.Repaired)} records written by the verification's repairs; {total.TotalMinutes:0.0} min wall.");
        return md.ToString();
    }

    public static string Json(IReadOnlyList<MatrixRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("pass", rows.All(r => r.Pass));
            json.WriteStartArray("scenarios");
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("scenario", r.Scenario);
                json.WriteString("faults", r.What);
                json.WriteString("verdict", r.Pass ? "PASS" : "FAIL");
                json.WriteString("failure", r.Failure);
                json.WriteNumber("records", r.Generated);
                json.WriteNumber("ingestedLaterThanSettle", r.IngestedLate);
                json.WriteNumber("lateSignals", r.LateSignals);
                json.WriteNumber("exported", r.Exported);
                json.WriteNumber("missing", r.Missing);
                json.WriteNumber("missingUnexplained", r.MissingUnexplained);
                json.WriteNumber("missingExplainedLateBeyondSettle", r.MissingExplained);
                json.WriteNumber("duplicated", r.Duplicated);
                json.WriteNumber("duplicatedUnexplained", r.DuplicatedUnexplained);
                json.WriteNumber("duplicatedExplainedLateReexport", r.DuplicatedExplained);
                json.WriteNumber("unexpected", r.Unexpected);
                json.WriteNumber("sdkRetries", r.SdkRetries);
                json.WriteNumber("injectedAwsErrors", r.InjectedAwsErrors);
                json.WriteNumber("lostResponses", r.LostResponses);
                json.WriteNumber("crashes", r.Crashes);
                json.WriteNumber("esmRedeliveries", r.EsmRedeliveries);
                json.WriteNumber("asyncInvokeRetries", r.AsyncRetries);
                json.WriteNumber("duplicateDeliveries", r.DuplicateDeliveries);
                json.WriteNumber("deletesForgotten", r.DeletesForgotten);
                json.WriteNumber("backfillRuns", r.BackfillRuns);
                json.WriteNumber("failedOrCancelledTasks", r.FailedTasks);
                json.WriteNumber("checkpointConflicts", r.CheckpointConflicts);
                json.WriteNumber("deadLettersReplayed", r.DeadLettersReplayed);
                json.WriteNumber("deadLetterMessagesLeft", r.DeadLetters);
                json.WriteNumber("recursiveInvocationsDropped", r.LoopsStopped);
                json.WriteNumber("wallSeconds", Math.Round(r.Wall.TotalSeconds, 1));
                json.WriteString("report", r.ReportPath);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Slug(string name) =>
        new(name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-').ToArray());
}
