namespace FlowLogEvents.Local.Harness;

/// <summary>One generated VPC flow log record: the CloudWatch event (timestamp, message) and where it goes.</summary>
public sealed record FlowRecord(string LogGroup, string LogStream, long Timestamp, string Message, bool Late);
