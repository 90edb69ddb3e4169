using System.Globalization;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// SQS timers run on moto's real clock, not the simulated one, so the signal queue's DelaySeconds
/// and VisibilityTimeout from serverless.template are divided by the speed (rounded up to whole
/// seconds, as SQS takes integers; DelaySeconds at least 0, VisibilityTimeout at least 1). The
/// continuation loop therefore paces at the template's 60 s of simulated time per lap (or slower when
/// the rounding dominates, above speed 60). maxReceiveCount is not a time and is kept.
/// </summary>
public sealed record QueueTiming(int DelaySeconds, int VisibilityTimeoutSeconds, int MaxReceiveCount, int MessageRetentionSeconds, int BatchSize)
{
    public static QueueTiming FromTemplate(ServerlessTemplate template, double speed)
    {
        ArgumentNullException.ThrowIfNull(template);
        var delay = template.QueueAttribute("SignalQueue", "DelaySeconds", 0);
        var visibility = template.QueueAttribute("SignalQueue", "VisibilityTimeout", 30);
        return new QueueTiming(
            Math.Max(0, (int)Math.Ceiling(delay / speed)),
            Math.Max(1, (int)Math.Ceiling(visibility / speed)),
            template.MaxReceiveCount("SignalQueue"),
            template.QueueAttribute("SignalQueue", "MessageRetentionPeriod", 345600),
            template.SqsBatchSize("ExportFunction"));
    }

    public string Describe(ServerlessTemplate template) => string.Create(
        CultureInfo.InvariantCulture,
        $"DelaySeconds {DelaySeconds} (template {template.QueueAttribute("SignalQueue", "DelaySeconds", 0)}), VisibilityTimeout {VisibilityTimeoutSeconds} (template {template.QueueAttribute("SignalQueue", "VisibilityTimeout", 30)}), maxReceiveCount {MaxReceiveCount}, batch size {BatchSize}");
}
