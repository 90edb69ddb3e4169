namespace FlowLogEvents.Local.Harness;

/// <summary>One log group of the scenario: its streams (one per ENI) and when its traffic stops.</summary>
public sealed record LogGroupTraffic(string Name, IReadOnlyList<string> Streams, bool Silent, DateTimeOffset TrafficEnd);
