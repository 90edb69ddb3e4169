using FlowLogEvents.Observability;

namespace FlowLogEvents.Local.Harness;

/// <summary>One row of the reliability matrix.</summary>
public sealed record MatrixRow(
    string Scenario,
    string What,
    int Generated,
    int IngestedLate,
    int LateSignals,
    int Exported,
    int Missing,
    int MissingExplained,
    int Duplicated,
    int DuplicatedExplained,
    int Unexpected,
    int SdkRetries,
    int InjectedAwsErrors,
    int LostResponses,
    int Crashes,
    int EsmRedeliveries,
    int AsyncRetries,
    int DuplicateDeliveries,
    int DeletesForgotten,
    int BackfillRuns,
    int FailedTasks,
    int CheckpointConflicts,
    int DeadLetters,
    int DeadLettersReplayed,
    int LoopsStopped,
    TimeSpan Wall,
    string? Failure,
    string ReportPath,
    int Repaired = 0)
{
    /// <summary>Missing records not explained by the late-record policy.</summary>
    public int MissingUnexplained => Missing - MissingExplained;

    /// <summary>Extra copies not explained by a re-export of a late range or by a deliberate start-over (see <see cref="LogGroupVerdict.DuplicatedByStartOver"/>).</summary>
    public int DuplicatedUnexplained => Duplicated - DuplicatedExplained;

    public bool Pass => Failure is null && MissingUnexplained == 0 && DuplicatedUnexplained == 0 && Unexpected == 0;

    public static MatrixRow From(MatrixScenario scenario, ScenarioResult r, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(r);
        var v = r.Verification;
        var c = r.Counters;
        return new MatrixRow(
            scenario.Name,
            scenario.What,
            r.GeneratedRecords,
            c.IngestedAfterSettle,
            c.Event(LogEvents.EventsLate),
            v.Exported,
            v.Missing,
            // Explained only where the scenario chose a policy that leaves them (report, reexport); the default repairs.
            scenario.Options.LateEvents == "report" ? v.MissingLateBeyondSettle : 0,
            v.Duplicated,
            (scenario.Options.LateEvents == "reexport" ? v.DuplicatedByLateReexport : 0) + v.DuplicatedByStartOver,
            v.Unexpected,
            r.Faults.SdkRetries,
            r.Faults.AwsErrors,
            r.Faults.LostResponses,
            r.Faults.Crashes,
            c.ExportRedeliveries,
            c.SubscriptionRetries,
            c.SubscriptionDuplicates,
            c.DeletesForgotten,
            c.BackfillInvocations,
            r.Tasks.Failed + r.Tasks.Cancelled,
            c.Event(LogEvents.CheckpointConflict),
            r.DeadLetterDepthAtEnd,
            r.DeadLettersReplayed,
            c.RecursiveInvocationsDropped,
            wall,
            r.Failure,
            r.ReportPath,
            v.Repaired);
    }
}
