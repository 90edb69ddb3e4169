namespace FlowLogEvents.Local.Commands;

/// <summary>What <c>coldstart</c> measures: <paramref name="Runs"/> fresh environments per package and function, of the <paramref name="Packages"/> given as name=folder (none: publish ReadyToRun and, where it builds, Native AOT).</summary>
internal sealed record ColdStartCommandOptions(int Runs, IReadOnlyList<string> Packages);
