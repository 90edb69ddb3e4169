namespace FlowLogEvents.Local.Lambda;

/// <summary>The execution role's credentials one execution environment gets (AWS_ACCESS_KEY_ID, ...).</summary>
public sealed record FunctionCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken);
