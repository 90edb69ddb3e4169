using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Harness;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Tests.Harness;

using Verification = FlowLogEvents.Local.Harness.Verification;

public sealed class RunReportTests
{
    /// <summary>What the hand-written Utf8JsonWriter report produced for <see cref="FixedResult"/> (field names, order, number and date formats, escaping).</summary>
    private const string FailedRunReport = """
        {
          "verdict": "FAIL",
          "failure": "timed out 60 simulated minutes after the last delivery: /vpc/b exported through nothing",
          "runId": "0badc0de",
          "options": {
            "logGroups": 2,
            "enisPerLogGroup": 5,
            "simulatedMinutes": 20,
            "recordsPerEniPerMinute": 3,
            "aggregationMinutes": 1,
            "deliveryDelayMinutes": 2.5,
            "lateFraction": 0.05,
            "latenessMinutes": 12,
            "silentLogGroups": 1,
            "speed": 12.5,
            "seed": 7,
            "settleDelaySeconds": 1260,
            "debounceSeconds": 60,
            "claimLeaseSeconds": 450,
            "minExportWindowSeconds": "template default",
            "lateEvents": "template default",
            "signalInstances": 2,
            "foreignExports": 1,
            "foreignExportMinutes": 3,
            "exportTaskTiming": "median PENDING 30 s \u002B RUNNING 90 s \u002B 10 s per 1,000 events, log-normal spread 0.5, 3 % of tasks 5-20 times longer; FAILED past 24 h",
            "availabilityLagMinutes": 30,
            "queryLagSeconds": 120
          },
          "queue": {
            "delaySeconds": 1,
            "visibilityTimeoutSeconds": 2,
            "maxReceiveCount": 5,
            "batchSize": 10,
            "depthAtEnd": 1,
            "deadLetterDepthAtEnd": 2,
            "deadLettersReplayed": 3,
            "recursiveLoopDetection": {
              "recursiveInvocationsDropped": 1,
              "messagesMovedToDeadLetterQueue": 2
            }
          },
          "time": {
            "simulatedTrafficStart": "2026-11-20T08:01:00+00:00",
            "simulatedEnd": "2026-11-20T09:31:30.25+00:00",
            "realSeconds": 181.3
          },
          "verification": {
            "expected": 15,
            "exported": 16,
            "missing": 1,
            "duplicated": 1,
            "unexpected": 1,
            "objectsRead": 7,
            "generatedRecords": 15,
            "lateRecords": 2,
            "logGroups": [
              {
                "logGroup": "/vpc/a",
                "silentHalfway": false,
                "expected": 10,
                "exported": 11,
                "missing": 0,
                "duplicated": 1,
                "unexpected": 0,
                "exportedThrough": "2025-11-20T08:30:00.123+00:00",
                "exportsCompleted": 4,
                "missingSamples": [],
                "duplicatedSamples": [
                  "a1 \u003Cdup\u003E \u0026 \u0027twice\u0027"
                ],
                "unexpectedSamples": []
              },
              {
                "logGroup": "/vpc/b",
                "silentHalfway": true,
                "expected": 5,
                "exported": 4,
                "missing": 1,
                "duplicated": 0,
                "unexpected": 0,
                "exportsCompleted": 0,
                "missingSamples": [
                  "b3 \u00B1"
                ],
                "duplicatedSamples": [],
                "unexpectedSamples": []
              },
              {
                "logGroup": "(outside any log group)",
                "silentHalfway": false,
                "expected": 0,
                "exported": 1,
                "missing": 0,
                "duplicated": 0,
                "unexpected": 1,
                "exportsCompleted": 0,
                "missingSamples": [],
                "duplicatedSamples": [],
                "unexpectedSamples": [
                  "x"
                ]
              }
            ]
          },
          "pipeline": {
            "eventsIngested": 200,
            "maxPutLagSimulatedSeconds": 12.3,
            "recordsIngestedAfterSettleDelay": 3,
            "exportHandlerMeanRealMs": 20.9,
            "exportHandlerMaxRealMs": 31.5,
            "putLogEventsCalls": 2,
            "subscriptionInvocations": 3,
            "subscriptionErrors": 1,
            "subscriptionsDropped": 1,
            "signalsSent": 2,
            "signalsSuppressedWarm": 1,
            "signalsReceivedByExport": 4,
            "continuationsReceived": 3,
            "exportInvocations": 2,
            "exportInvocationErrors": 1,
            "recordsReportedFailed": 1,
            "slotBusyDeferrals": 1,
            "tasksCreatedByFunction": 1,
            "tasksCompletedByFunction": 1,
            "checkpointConflicts": 1,
            "lateSignals": 1
          },
          "exportTasks": {
            "created": 4,
            "completed": 3,
            "failed": 1,
            "limitExceededAnswers": 2,
            "seenPending": 5,
            "seenRunning": 6,
            "foreignTasksHoldingTheSlot": 1
          },
          "economy": {
            "logGroupWindows": 2,
            "invocationsPerLogGroupWindow": 1.5,
            "sendMessagePerLogGroupWindow": 1,
            "maxSendMessagePerLogGroupWindow": 1,
            "maxSendMessagePerLogGroupWindowPerInstance": 1,
            "exportTasksPerSimulatedHour": 2.7,
            "exportedRecordsMeasured": 3,
            "freshnessP50Seconds": 90.5,
            "freshnessP99Seconds": 1200,
            "freshnessMaxSeconds": 1200
          },
          "resources": {
            "moto": "http://127.0.0.1:5000/",
            "bucket": "flowlogevents-local-0badc0de",
            "exportPrefix": "exports",
            "statePrefix": "state",
            "signalQueueUrl": "http://127.0.0.1:5000/123456789012/signals.fifo",
            "deadLetterQueueUrl": "http://127.0.0.1:5000/123456789012/signals-dlq.fifo",
            "functionLog": "out/run/functions.jsonl"
          },
          "hosting": "processes of the published package: signal 2 cold starts (median 120 ms to the first /next, 180 ms to the first response, real), 3 invocations, 1 errors, 0 deaths, 0 timeouts, 0 init errors; export 1 cold starts (median - to the first /next, - to the first response, real), 2 invocations, 0 errors, 1 deaths, 0 timeouts, 0 init errors; 1 killed at crash points by the AWS gateway; 1 requests denied by IAM (the roles in serverless.template)",
          "iamDenied": 1,
          "faults": {
            "injected": "AWS errors 10 %, crash export.after-create (25 %, max 3)",
            "subscriptionDuplicates": 1,
            "subscriptionRetries": 1,
            "exportRedeliveries": 2,
            "exportDeaths": 1,
            "deletesForgotten": 1,
            "backfillInvocations": 1,
            "backfillErrors": 1,
            "missingLateBeyondSettle": 1,
            "duplicatedByLateReexport": 1,
            "duplicatedByStartOver": 0,
            "counters": {
              "aws.error.sqs.SendMessage": 3,
              "crash.export.after-create": 1
            }
          },
          "problems": [
            "signal function error: \u0022boom\u0022",
            "dropped \u003Cone\u003E"
          ]
        }
        """;

    /// <summary>What the hand-written report produced for a passing run without faults, problems or IAM denials.</summary>
    private const string PassingRunReport = """
        {
          "verdict": "PASS",
          "failure": null,
          "runId": "0badc0de",
          "options": {
            "logGroups": 2,
            "enisPerLogGroup": 5,
            "simulatedMinutes": 20,
            "recordsPerEniPerMinute": 3,
            "aggregationMinutes": 1,
            "deliveryDelayMinutes": 2.5,
            "lateFraction": 0.05,
            "latenessMinutes": 12,
            "silentLogGroups": 1,
            "speed": 12.5,
            "seed": 7,
            "settleDelaySeconds": 1260,
            "debounceSeconds": 60,
            "claimLeaseSeconds": "template default",
            "minExportWindowSeconds": 600,
            "lateEvents": "reexport",
            "signalInstances": 2,
            "foreignExports": 1,
            "foreignExportMinutes": 3,
            "exportTaskTiming": "median PENDING 30 s \u002B RUNNING 90 s \u002B 10 s per 1,000 events, log-normal spread 0.5, 3 % of tasks 5-20 times longer; FAILED past 24 h",
            "availabilityLagMinutes": 30,
            "queryLagSeconds": 120
          },
          "queue": {
            "delaySeconds": 1,
            "visibilityTimeoutSeconds": 2,
            "maxReceiveCount": 5,
            "batchSize": 10,
            "depthAtEnd": 1,
            "deadLetterDepthAtEnd": 2,
            "deadLettersReplayed": 3,
            "recursiveLoopDetection": {
              "recursiveInvocationsDropped": 0,
              "messagesMovedToDeadLetterQueue": 0
            }
          },
          "time": {
            "simulatedTrafficStart": "2026-11-20T08:01:00+00:00",
            "simulatedEnd": "2026-11-20T09:31:30.25+00:00",
            "realSeconds": 181.3
          },
          "verification": {
            "expected": 10,
            "exported": 10,
            "missing": 0,
            "duplicated": 0,
            "unexpected": 0,
            "objectsRead": 2,
            "generatedRecords": 15,
            "lateRecords": 2,
            "logGroups": [
              {
                "logGroup": "/vpc/a",
                "silentHalfway": false,
                "expected": 10,
                "exported": 10,
                "missing": 0,
                "duplicated": 0,
                "unexpected": 0,
                "exportedThrough": "2025-11-20T08:20:00+00:00",
                "exportsCompleted": 2,
                "missingSamples": [],
                "duplicatedSamples": [],
                "unexpectedSamples": []
              }
            ]
          },
          "pipeline": {
            "eventsIngested": 0,
            "maxPutLagSimulatedSeconds": 0,
            "recordsIngestedAfterSettleDelay": 0,
            "exportHandlerMeanRealMs": 0,
            "exportHandlerMaxRealMs": 0,
            "putLogEventsCalls": 0,
            "subscriptionInvocations": 0,
            "subscriptionErrors": 0,
            "subscriptionsDropped": 0,
            "signalsSent": 0,
            "signalsSuppressedWarm": 0,
            "signalsReceivedByExport": 0,
            "continuationsReceived": 0,
            "exportInvocations": 0,
            "exportInvocationErrors": 0,
            "recordsReportedFailed": 0,
            "slotBusyDeferrals": 0,
            "tasksCreatedByFunction": 0,
            "tasksCompletedByFunction": 0,
            "checkpointConflicts": 0,
            "lateSignals": 0
          },
          "exportTasks": {
            "created": 0,
            "completed": 0,
            "failed": 0,
            "limitExceededAnswers": 0,
            "seenPending": 0,
            "seenRunning": 0,
            "foreignTasksHoldingTheSlot": 0
          },
          "economy": {
            "logGroupWindows": 0,
            "invocationsPerLogGroupWindow": 0,
            "sendMessagePerLogGroupWindow": 0,
            "maxSendMessagePerLogGroupWindow": 0,
            "maxSendMessagePerLogGroupWindowPerInstance": 0,
            "exportTasksPerSimulatedHour": 0,
            "exportedRecordsMeasured": 0,
            "freshnessP50Seconds": 0,
            "freshnessP99Seconds": 0,
            "freshnessMaxSeconds": 0
          },
          "resources": {
            "moto": "http://127.0.0.1:5000/",
            "bucket": "flowlogevents-local-0badc0de",
            "exportPrefix": "exports",
            "statePrefix": "state",
            "signalQueueUrl": "http://127.0.0.1:5000/123456789012/signals.fifo",
            "deadLetterQueueUrl": "http://127.0.0.1:5000/123456789012/signals-dlq.fifo",
            "functionLog": "out/run/functions.jsonl"
          },
          "hosting": "in-process handlers (no package, no Runtime API)",
          "iamDenied": 0,
          "faults": {
            "injected": "none",
            "subscriptionDuplicates": 0,
            "subscriptionRetries": 0,
            "exportRedeliveries": 0,
            "exportDeaths": 0,
            "deletesForgotten": 0,
            "backfillInvocations": 0,
            "backfillErrors": 0,
            "missingLateBeyondSettle": 0,
            "duplicatedByLateReexport": 0,
            "duplicatedByStartOver": 0,
            "counters": {}
          },
          "problems": []
        }
        """;

    [Fact]
    public void Json_FailedRunWithFaults_MatchesTheFormerWritersText()
    {
        var json = RunReport.Json(FixedResult());

        Assert.Equal(FailedRunReport + "\n", json);
    }

    [Fact]
    public void Json_PassingRunWithoutFaults_MatchesTheFormerWritersText()
    {
        var fixedResult = FixedResult();
        var json = RunReport.Json(fixedResult with
        {
            Options = fixedResult.Options with { ClaimLease = null, MinExportWindow = TimeSpan.FromSeconds(600), LateEvents = "reexport", Faults = new FaultOptions() },
            Failure = null,
            Problems = [],
            Verification = new Verification([new LogGroupVerdict("/vpc/a", 10, 10, 0, 0, 0, [], [], [])], ObjectsRead: 2),
            Groups = [new GroupProgress("/vpc/a", false, 10, 1763626800000, 1763626800000, false, 2)],
            Counters = new RunCounters(),
            Tasks = ExportTaskTotals.From(null),
            Faults = new FaultCounters(),
            Hosting = HostingTotals.InProcess,
        });

        Assert.Equal(PassingRunReport + "\n", json);
    }

    /// <summary>
    /// A run with every branch of the report taken: a failure, an overridden and a template-default option,
    /// a log group with and one without a checkpoint, samples, fault counters out of order, problems, and
    /// text the JSON encoder escapes (+, &lt;, &amp;, ', non-ASCII).
    /// </summary>
    private static ScenarioResult FixedResult()
    {
        var counters = new RunCounters();
        counters.Ingested(120);
        counters.Ingested(80);
        counters.PutCompleted(TimeSpan.FromSeconds(12.34), 3);
        counters.SubscriptionInvoked();
        counters.SubscriptionInvoked();
        counters.SubscriptionInvoked();
        counters.SubscriptionFailed();
        counters.SubscriptionDropped();
        counters.SubscriptionDuplicated();
        counters.SubscriptionRetried();
        counters.ExportInvoked(records: 5, dataSignals: 3, continuations: 2);
        counters.ExportInvoked(records: 2, dataSignals: 1, continuations: 1);
        counters.ExportFailed();
        counters.ExportAcknowledged(deleted: 6, failed: 1);
        counters.ExportHandlerTook(TimeSpan.FromMilliseconds(10.26));
        counters.ExportHandlerTook(TimeSpan.FromMilliseconds(31.5));
        counters.ExportRedelivered(2);
        counters.ExportDied();
        counters.ExportDeleteForgotten(1);
        counters.BackfillInvoked();
        counters.BackfillFailed();
        counters.ForeignExportStarted();
        counters.RecursiveInvocationDropped(movedToDeadLetterQueue: 2);
        counters.TelemetryEvent(LogEvents.SignalSent, null);
        counters.TelemetryEvent(LogEvents.SignalSent, null);
        counters.TelemetryEvent(LogEvents.SignalSuppressed, null);
        counters.TelemetryEvent(LogEvents.TaskCreated, null);
        counters.TelemetryEvent(LogEvents.TaskCompleted, null);
        counters.TelemetryEvent(LogEvents.CheckpointConflict, null);
        counters.TelemetryEvent(LogEvents.EventsLate, null);
        counters.TelemetryEvent(LogEvents.ExportDeferred, "the export slot is busy");
        counters.SignalDecision("signal-1", "/vpc/a", 1, sent: true);
        counters.SignalDecision("signal-2", "/vpc/a", 1, sent: false);
        counters.SignalDecision("signal-1", "/vpc/b", 1, sent: true);

        var faults = new FaultCounters();
        faults.Add("crash.export.after-create");
        faults.Add("aws.error.sqs.SendMessage", 3);

        var verification = new Verification(
            [
                new LogGroupVerdict("/vpc/a", 10, 11, 0, 1, 0, [], ["a1 <dup> & 'twice'"], []) { DuplicatedByLateReexport = 1 },
                new LogGroupVerdict("/vpc/b", 5, 4, 1, 0, 0, ["b3 ±"], [], []) { MissingLateBeyondSettle = 1 },
                new LogGroupVerdict(Verification.OtherGroup, 0, 1, 0, 0, 1, [], [], ["x"]),
            ],
            ObjectsRead: 7);

        return new ScenarioResult
        {
            RunId = "0badc0de",
            Options = new ScenarioOptions
            {
                LogGroups = 2,
                EnisPerLogGroup = 5,
                Duration = TimeSpan.FromMinutes(20),
                RecordsPerEniPerMinute = 3,
                AggregationMinutes = 1,
                DeliveryDelay = TimeSpan.FromMinutes(2.5),
                LateFraction = 0.05,
                Lateness = TimeSpan.FromMinutes(12),
                SilentLogGroups = 1,
                Speed = 12.5,
                Seed = 7,
                ClaimLease = TimeSpan.FromSeconds(450),
                ForeignExports = 1,
                ForeignExportDuration = TimeSpan.FromMinutes(3),
                SignalInstances = 2,
                ExportTiming = ExportTaskTiming.Typical(TimeSpan.FromMinutes(2)),
                Faults = new FaultOptions { AwsErrorRate = 0.1, CrashAt = ["export.after-create"] },
            },
            SettleDelay = TimeSpan.FromSeconds(1260),
            Debounce = TimeSpan.FromSeconds(60),
            QueueTiming = new QueueTiming(1, 2, 5, 345600, 10),
            OutputDirectory = "out/run",
            ReportPath = "out/run/report.json",
            FunctionLogPath = "out/run/functions.jsonl",
            MotoEndpoint = new Uri("http://127.0.0.1:5000"),
            Bucket = "flowlogevents-local-0badc0de",
            ExportPrefix = "exports",
            StatePrefix = "state",
            SignalQueueUrl = new Uri("http://127.0.0.1:5000/123456789012/signals.fifo"),
            DeadLetterQueueUrl = new Uri("http://127.0.0.1:5000/123456789012/signals-dlq.fifo"),
            SimulatedStart = new DateTimeOffset(2026, 11, 20, 8, 1, 0, TimeSpan.Zero),
            SimulatedEnd = new DateTimeOffset(2026, 11, 20, 9, 31, 30, 250, TimeSpan.Zero),
            RealDuration = TimeSpan.FromSeconds(181.27),
            GeneratedRecords = 15,
            LateRecords = 2,
            Groups =
            [
                new GroupProgress("/vpc/a", false, 10, 1763626800000, 1763627400123, false, 4, 0),
                new GroupProgress("/vpc/b", true, 5, 1763626800000, null, true, 0, 1),
            ],
            Counters = counters,
            Tasks = new ExportTaskTotals(4, 3, 1, 0, 2, 5, 6) { FreshnessMs = [60_000, 90_500, 1_200_049] },
            QueueDepthAtEnd = 1,
            DeadLetterDepthAtEnd = 2,
            DeadLettersReplayed = 3,
            Failure = "timed out 60 simulated minutes after the last delivery: /vpc/b exported through nothing",
            Problems = ["signal function error: \"boom\"", "dropped <one>"],
            Verification = verification,
            Faults = faults,
            Hosting = new HostingTotals(
                "processes",
                new FunctionTotals(2, 3, 1, 0, 0, 0, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(180)),
                new FunctionTotals(1, 2, 0, 1, 0, 0, null, null),
                1)
            {
                IamDenied = 1,
            },
        };
    }
}
