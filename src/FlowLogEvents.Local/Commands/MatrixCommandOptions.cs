namespace FlowLogEvents.Local.Commands;

/// <summary>What <c>matrix</c> runs: the CI subset or all scenarios (filtered by name), at what speed, into which folder, with which package.</summary>
internal sealed record MatrixCommandOptions(bool Quick, string? Only, double Speed, string? Output, string? Package);
