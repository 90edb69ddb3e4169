namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// One comparison of a Logs Insights <c>filter</c>: <c>@timestamp</c> (or <c>toMillis(@timestamp)</c>, the same epoch
/// milliseconds) against a number with <c>&gt;=, &lt;=, &gt;, &lt;, =</c>, or <c>@logStream = "name"</c>.
/// </summary>
public sealed record InsightsCondition(string Field, string Operator, long? Number, string? Text)
{
    public const string Timestamp = "@timestamp";
    public const string LogStream = "@logStream";

    public bool Matches(IngestedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Field == LogStream)
        {
            return string.Equals(e.LogStreamName, Text, StringComparison.Ordinal);
        }

        var value = e.Timestamp;
        var number = Number ?? 0;
        return Operator switch
        {
            ">=" => value >= number,
            "<=" => value <= number,
            ">" => value > number,
            "<" => value < number,
            _ => value == number,
        };
    }
}
