namespace FlowLogEvents.Local.LocalCloud;

/// <summary>One S3 object an export task writes.</summary>
internal sealed record ExportObject(string Key, byte[] Content);
