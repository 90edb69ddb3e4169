namespace FlowLogEvents.Local.Harness;

/// <summary>The verdict of a run.</summary>
public sealed record Verification(IReadOnlyList<LogGroupVerdict> LogGroups, int ObjectsRead)
{
    /// <summary>Exported objects whose key belongs to no known log group.</summary>
    public const string OtherGroup = "(outside any log group)";

    public int Expected => LogGroups.Sum(g => g.Expected);

    public int Exported => LogGroups.Sum(g => g.Exported);

    public int Missing => LogGroups.Sum(g => g.Missing);

    public int Duplicated => LogGroups.Sum(g => g.Duplicated);

    public int Unexpected => LogGroups.Sum(g => g.Unexpected);

    public int MissingLateBeyondSettle => LogGroups.Sum(g => g.MissingLateBeyondSettle);

    public int DuplicatedByLateReexport => LogGroups.Sum(g => g.DuplicatedByLateReexport);

    public int DuplicatedByStartOver => LogGroups.Sum(g => g.DuplicatedByStartOver);

    public int Repaired => LogGroups.Sum(g => g.Repaired);

    public bool Ok => Missing == 0 && Duplicated == 0 && Unexpected == 0;
}
