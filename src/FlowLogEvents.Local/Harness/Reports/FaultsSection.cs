namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>faults</c>: what was injected, what the retry layers did, explained copies and losses, and every fault counter by name.</summary>
public sealed record FaultsSection(
    string Injected,
    int SubscriptionDuplicates,
    int SubscriptionRetries,
    int ExportRedeliveries,
    int ExportDeaths,
    int DeletesForgotten,
    int BackfillInvocations,
    int BackfillErrors,
    int MissingLateBeyondSettle,
    int DuplicatedByLateReexport,
    int DuplicatedByStartOver,
    IReadOnlyDictionary<string, int> Counters)
{
    public static FaultsSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Counters;
        var v = result.Verification;
        return new FaultsSection(
            result.Options.Faults.Describe(),
            c.SubscriptionDuplicates,
            c.SubscriptionRetries,
            c.ExportRedeliveries,
            c.ExportDeaths,
            c.DeletesForgotten,
            c.BackfillInvocations,
            c.BackfillErrors,
            v.MissingLateBeyondSettle,
            v.DuplicatedByLateReexport,
            v.DuplicatedByStartOver,
            result.Faults.All);
    }
}
