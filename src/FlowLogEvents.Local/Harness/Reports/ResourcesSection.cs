namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>report.json's <c>resources</c>: where the run's moto_server, bucket, queues and function log were.</summary>
public sealed record ResourcesSection(string Moto, string Bucket, string ExportPrefix, string StatePrefix, string SignalQueueUrl, string DeadLetterQueueUrl, string FunctionLog)
{
    public static ResourcesSection From(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResourcesSection(
            result.MotoEndpoint.ToString(),
            result.Bucket,
            result.ExportPrefix,
            result.StatePrefix,
            result.SignalQueueUrl.ToString(),
            result.DeadLetterQueueUrl.ToString(),
            result.FunctionLogPath);
    }
}
