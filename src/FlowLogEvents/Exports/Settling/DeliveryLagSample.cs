namespace FlowLogEvents.Exports.Settling;

/// <summary>
/// How old a delivery's first event was when CloudWatch Logs delivered it, as one data signal tells: its debounce window's
/// end (<paramref name="IngestedBy"/>, which bounds the delivery's ingestion) minus its first event time.
/// </summary>
public readonly record struct DeliveryLagSample(long IngestedBy, long LagMillis);
