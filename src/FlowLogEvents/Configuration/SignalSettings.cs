namespace FlowLogEvents.Configuration;

/// <summary>The signal function's settings, read once per execution environment.</summary>
/// <param name="SettleDelay">The export function's settle delay (same variable): events older than it may be late.</param>
/// <param name="ClockSkew">The clock skew margin (same variable as the export function's).</param>
/// <param name="OwnLogGroups">The log groups of the stack's own functions (its own, from Lambda's reserved
/// <c>AWS_LAMBDA_LOG_GROUP_NAME</c>; the export function's, from <c>EXPORT_FUNCTION_LOG_GROUP</c>): deliveries of
/// them are refused (a subscription on them feeds the function its own output, and CloudWatch Logs -> Lambda is not
/// covered by Lambda's recursive loop detection).</param>
public sealed record SignalSettings(Uri SignalQueueUrl, TimeSpan Debounce, TimeSpan? SettleDelay = null, TimeSpan? ClockSkew = null, IReadOnlyList<string>? OwnLogGroups = null)
{
    /// <summary>Set by Lambda in every function (a reserved variable): the function's own log group.</summary>
    public const string LambdaLogGroupVariable = "AWS_LAMBDA_LOG_GROUP_NAME";

    /// <summary>The export function's log group (from the template).</summary>
    public const string ExportFunctionLogGroupVariable = "EXPORT_FUNCTION_LOG_GROUP";

    public const string SignalQueueUrlVariable = "SIGNAL_QUEUE_URL";
    public const string DebounceVariable = "DEBOUNCE_SECONDS";
    public const string SettleDelayVariable = ExportSettings.SettleDelayVariable;
    public const string ClockSkewVariable = ExportSettings.ClockSkewVariable;

    /// <summary>
    /// A delivery whose first event is at least this old may belong to a range the export function
    /// already exported (its windows end the settle delay plus the skew margin behind its clock, which
    /// may run the skew margin ahead of ours): such a delivery is never suppressed or deduplicated away.
    /// </summary>
    public TimeSpan LateAfter => (SettleDelay ?? ExportSettings.DefaultSettleDelay) - (ClockSkew ?? ExportSettings.DefaultClockSkew);

    public static SignalSettings Read(EnvironmentReader env) => new(
        env.Url(SignalQueueUrlVariable),
        env.Seconds(DebounceVariable, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        env.Seconds(SettleDelayVariable, ExportSettings.DefaultSettleDelay, TimeSpan.Zero, TimeSpan.FromHours(24)),
        env.Seconds(ClockSkewVariable, ExportSettings.DefaultClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(15)),
        [.. new[] { env.Optional(LambdaLogGroupVariable, string.Empty), env.Optional(ExportFunctionLogGroupVariable, string.Empty) }.Where(g => g.Length > 0)]);
}
