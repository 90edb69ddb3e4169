namespace FlowLogEvents.Local.Harness;

/// <summary>What VPC Flow Logs publishes for one ENI and one aggregation interval, with one PutLogEvents call.</summary>
public sealed record TrafficBatch(string LogGroup, string LogStream, DateTimeOffset DeliverAt, IReadOnlyList<FlowRecord> Records);
