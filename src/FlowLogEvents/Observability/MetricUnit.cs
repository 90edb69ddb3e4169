namespace FlowLogEvents.Observability;

/// <summary>Metric units used by the pipeline (a subset of the CloudWatch units EMF accepts).</summary>
public enum MetricUnit
{
    Count,
    Milliseconds,
    Bytes,
}
