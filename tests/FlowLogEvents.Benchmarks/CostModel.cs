using System.Globalization;

namespace FlowLogEvents.Benchmarks;

/// <summary>
/// Dollars per month to move VPC flow logs from CloudWatch Logs to S3, three ways, from list prices
/// (us-east-1) and the assumptions below. Every number used is a named constant here and in
/// docs/cost.md; change one and run <c>--cost</c> again.
/// </summary>
internal static class CostModel
{
    // List prices, us-east-1, as known to the author (mid-2025 pricing pages; no network to re-check).
    private const double CloudWatchIngestPerGb = 0.50;          // CloudWatch Logs Standard ingestion (first tier; vended logs tier down above 10 TB/month)
    private const double LambdaArmPerGbSecond = 0.0000133334;   // Lambda arm64 duration, first tier
    private const double LambdaPerMillionRequests = 0.20;
    private const double SqsFifoPerMillionRequests = 0.50;      // per 64 KB request, after the free tier
    private const double S3PutPerThousand = 0.005;              // S3 Standard PUT/COPY/POST/LIST
    private const double S3GetPerThousand = 0.0004;
    private const double FirehosePerGb = 0.029;                 // Data Firehose Direct PUT ingestion, first 500 TB/month, 5 KB rounding per record
    private const double LogsInsightsPerGbScanned = 0.005;      // CloudWatch Logs Insights queries, per GB of data scanned

    // Assumptions (see docs/cost.md).
    private const double DaysPerMonth = 30;
    private const double IngestedBytesPerRecord = 136;          // ~110 B v2 message + 26 B CloudWatch per-event overhead
    private const double Enis = 50;                             // network interfaces (log streams) in all, spread over the log groups
    private const double DeliveriesPerEniPerDay = 1440;         // 1-minute aggregation: one subscription delivery per ENI per minute
    private const double MaxDeliveryBytes = 1_048_576;          // a delivery carries at most ~1 MB: busier ENIs get more deliveries
    private const double LogBytesPerSignalInvocation = 900;     // Lambda START/END/REPORT lines + one JSON decision line + one EMF line
    private const double CompressedBytesPerRecord = 48;         // measured: gzip of the subscription JSON (see payload sizes)
    private const double DecodeMsPerThousandRecordsOneCore = 0.55; // measured (Performance table), one full core
    private const double CpuShareAt128Mb = 128.0 / 1769;        // Lambda gives one vCPU at 1,769 MB, proportionally less below
    private const double SignalFixedMsAt128Mb = 2;              // handler, telemetry line, response, billed rounding
    private const double SendMessageMs = 20;                    // one SQS round trip, billed while waiting
    private const int SignalInstancesPerLogGroup = 2;           // warm instances that each send once per debounce window
    private const double DebounceWindowsPerDay = 1440;          // DEBOUNCE_SECONDS=60
    private const double ExportTasksPerDayPerLogGroup = 288;    // one per MIN_EXPORT_WINDOW_SECONDS=300 of continuous data
    private const double ExportFunctionMsAt256Mb = 400;         // S3 + CloudWatch Logs calls per invocation
    private const double ExportInvocationsPerTask = 3;          // plan/create, poll (continuation), complete
    private const double EsmPollingRequestsPerMonth = 5 * 3 * 60 * 24 * DaysPerMonth; // 5 long-polling pollers, 20 s each
    private const double ScheduledExportSecondsPerTask = 20;    // the scheduled Lambda waits for its task (one at a time per account)
    private const double FirehoseBufferSeconds = 300;

    // Verification (docs/cost.md, Verification): per window, a first and a last check, and a recheck after a late signal in
    // half of the windows. Each check: one Logs Insights query scanning the window's bytes, two LISTs (the task folder and
    // the repair folder), one GET per exported object (one per log stream), about 1.5 s of the export function at 512 MB
    // (the query's wait and the reads); a repair PUT for 5 % of the stream-windows (FilterLogEvents is not billed per call).
    private const double ChecksPerWindow = 2.5;
    private const double ListsPerCheck = 2;
    private const double VerificationMsPerCheckAt512Mb = 1500;
    private const double RepairedStreamShare = 0.05;

    public static int Print()
    {
        Console.WriteLine("| GB/day | log groups | CloudWatch Logs ingestion (all three) | FlowLogEvents | of which signal Lambda | subscription -> Firehose | scheduled export Lambda (5 min) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var gbPerDay in new[] { 1.0, 10, 100 })
        {
            foreach (var logGroups in new[] { 1, 10 })
            {
                var ingest = gbPerDay * DaysPerMonth * CloudWatchIngestPerGb;
                var (total, signal) = FlowLogEvents(gbPerDay, logGroups);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {gbPerDay:0} | {logGroups} | ${ingest:N2} | ${total:N2} | ${signal:N2} | ${Firehose(gbPerDay):N2} | ${Scheduled(logGroups):N2} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Verification (included in the FlowLogEvents column):");
        Console.WriteLine();
        Console.WriteLine("| GB/day | log groups | checks/month | Logs Insights scanned | Logs Insights | S3 LIST + GET + repair PUT | export Lambda | total | per GB ingested | per window check |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var gbPerDay in new[] { 1.0, 10, 100 })
        {
            foreach (var logGroups in new[] { 1, 10 })
            {
                var v = Verification(gbPerDay, logGroups);
                var total = v.Insights + v.S3 + v.Lambda;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {gbPerDay:0} | {logGroups} | {v.Checks:N0} | {v.ScannedGb:N0} GB | ${v.Insights:N2} | ${v.S3:N2} | ${v.Lambda:N2} | ${total:N2} | ${total / (gbPerDay * DaysPerMonth):N4} | ${total / v.Checks:N6} |"));
            }
        }

        return 0;
    }

    /// <summary>What verifying every window costs per month: the query's scan, the S3 requests, the function's time.</summary>
    private static (double Checks, double ScannedGb, double Insights, double S3, double Lambda) Verification(double gbPerDay, int logGroups)
    {
        var windows = logGroups * ExportTasksPerDayPerLogGroup * DaysPerMonth;
        var checks = windows * ChecksPerWindow;
        var scannedGb = gbPerDay * DaysPerMonth * ChecksPerWindow;
        var streamsPerWindow = Enis / logGroups;
        var s3 = (checks * ListsPerCheck / 1000 * S3PutPerThousand)
            + (checks * streamsPerWindow / 1000 * S3GetPerThousand)
            + (windows * streamsPerWindow * RepairedStreamShare / 1000 * S3PutPerThousand);
        var lambda = checks * VerificationMsPerCheckAt512Mb / 1000 * 0.512 * LambdaArmPerGbSecond;
        return (checks, scannedGb, scannedGb * LogsInsightsPerGbScanned, s3, lambda);
    }

    private static (double Total, double Signal) FlowLogEvents(double gbPerDay, int logGroups)
    {
        var bytesPerEniMinute = gbPerDay * 1e9 / (Enis * DeliveriesPerEniPerDay);
        var deliveriesPerEniMinute = Math.Ceiling(bytesPerEniMinute / MaxDeliveryBytes);
        var invocations = Enis * DeliveriesPerEniPerDay * deliveriesPerEniMinute * DaysPerMonth;
        var recordsPerDelivery = bytesPerEniMinute / deliveriesPerEniMinute / IngestedBytesPerRecord;
        var decodeMs = recordsPerDelivery / 1000 * DecodeMsPerThousandRecordsOneCore / CpuShareAt128Mb;
        var billedMs = Math.Ceiling(decodeMs + SignalFixedMsAt128Mb);
        var sends = logGroups * SignalInstancesPerLogGroup * DebounceWindowsPerDay * DaysPerMonth;
        var signalGbSeconds = ((invocations * billedMs) + (sends * SendMessageMs)) / 1000 * 0.128;
        var signal = (invocations / 1e6 * LambdaPerMillionRequests) + (signalGbSeconds * LambdaArmPerGbSecond) + (sends / 1e6 * SqsFifoPerMillionRequests)
            + (invocations * LogBytesPerSignalInvocation / 1e9 * CloudWatchIngestPerGb);

        var tasks = logGroups * ExportTasksPerDayPerLogGroup * DaysPerMonth;
        var exportInvocations = (sends / 10) + (tasks * ExportInvocationsPerTask);
        var export = (exportInvocations / 1e6 * LambdaPerMillionRequests)
            + (exportInvocations * ExportFunctionMsAt256Mb / 1000 * 0.256 * LambdaArmPerGbSecond)
            + ((EsmPollingRequestsPerMonth + sends + (tasks * ExportInvocationsPerTask * 2)) / 1e6 * SqsFifoPerMillionRequests)
            + (tasks * (3 + (Enis / logGroups) + 1) / 1000 * S3PutPerThousand)   // checkpoint writes, one object per log stream, aws-logs-write-test
            + (tasks * ExportInvocationsPerTask / 1000 * S3GetPerThousand);
        var verification = Verification(gbPerDay, logGroups);
        return (signal + export + verification.Insights + verification.S3 + verification.Lambda, signal);
    }

    private static double Firehose(double gbPerDay)
    {
        var compressedGb = gbPerDay / IngestedBytesPerRecord * CompressedBytesPerRecord * DaysPerMonth;
        var objects = Math.Max(86400 / FirehoseBufferSeconds, compressedGb * 1000 / DaysPerMonth / 5) * DaysPerMonth; // one delivery stream serves every log group
        return (compressedGb * FirehosePerGb) + (objects / 1000 * S3PutPerThousand);
    }

    private static double Scheduled(int logGroups)
    {
        var invocations = 12 * 24 * DaysPerMonth; // EventBridge schedule: rules are free, Scheduler's free tier covers it
        var tasks = invocations * logGroups;
        return (invocations / 1e6 * LambdaPerMillionRequests)
            + (tasks * ScheduledExportSecondsPerTask * 0.128 * LambdaArmPerGbSecond)
            + (tasks * ((Enis / logGroups) + 1 + 1) / 1000 * S3PutPerThousand); // objects, aws-logs-write-test, checkpoint
    }
}
