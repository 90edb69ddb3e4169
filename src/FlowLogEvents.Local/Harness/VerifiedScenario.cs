namespace FlowLogEvents.Local.Harness;

/// <summary>A stopped run checked against S3: the run's failure (the drain's, or one found now), the verification, and the final progress.</summary>
internal sealed record VerifiedScenario(string? Failure, Verification Verification, IReadOnlyList<GroupProgress> Groups, DateTimeOffset SimulatedEnd);
