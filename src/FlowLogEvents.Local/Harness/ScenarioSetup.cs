using System.Globalization;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// What a run is set up with before anything starts: the template's timing resolved against the options, the run's id
/// and folder, the simulated clock and its deadline, the traffic plan, and the parameters the template is provisioned with.
/// </summary>
internal sealed record ScenarioSetup(
    ScenarioOptions Options,
    ServerlessTemplate Template,
    TimeSpan Settle,
    TimeSpan Debounce,
    string RunId,
    string Output,
    TimeSpan Interval,
    SimulatedClock Clock,
    DateTimeOffset Deadline,
    DateTimeOffset TrafficStart,
    TrafficPlan Plan,
    QueueTiming QueueTiming,
    IReadOnlyDictionary<string, string> Parameters,
    (string LogGroup, DateTimeOffset Until)? Poisoned)
{
    /// <summary>LATE_EVENTS=reexport: a missing late record is a failure, and the run also waits for an empty queue.</summary>
    public bool Reexport => string.Equals(Options.LateEvents, "reexport", StringComparison.Ordinal);

    /// <summary>Sets up a run of <paramref name="options"/> (validated) and creates its output folder; starts the simulated clock.</summary>
    public static ScenarioSetup Create(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var template = options.Template ?? ServerlessTemplate.Load();
        var settle = options.SettleDelay ?? TimeSpan.FromSeconds(double.Parse(template.ParameterDefault("SettleDelaySeconds") ?? "900", CultureInfo.InvariantCulture));
        var debounce = options.Debounce ?? TimeSpan.FromSeconds(double.Parse(template.ParameterDefault("DebounceSeconds") ?? "60", CultureInfo.InvariantCulture));
        var runId = Guid.NewGuid().ToString("N")[..8];
        var output = options.OutputDirectory
            ?? Path.Combine("artifacts", "local-runs", $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{runId}");
        Directory.CreateDirectory(output);

        // moto checks PutLogEvents timestamps against the REAL clock (older than 14 days or more than
        // 2 h ahead is rejected): the simulated clock starts far enough in the past that it cannot
        // pass real time before the run's deadline.
        var interval = TimeSpan.FromMinutes(options.AggregationMinutes);
        var budget = options.Duration + interval + (options.DeliveryDelay * 1.5) + TimeSpan.FromTicks(SubscriptionDelivery.RetryDelays.Sum(d => d.Ticks))
            + settle + debounce + options.EffectiveDrainTimeout + TimeSpan.FromMinutes(5);
        if (budget + options.Lateness > TimeSpan.FromDays(13))
        {
            throw new ArgumentException($"the scenario spans {budget.TotalDays:0.#} simulated days; CloudWatch Logs (and moto) reject events older than 14 days");
        }

        var clock = new SimulatedClock(DateTimeOffset.UtcNow - budget, options.Speed);
        var deadline = clock.Start + budget - TimeSpan.FromMinutes(2);
        var first = clock.GetUtcNow();
        var trafficStart = new DateTimeOffset(first.Year, first.Month, first.Day, first.Hour, first.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var plan = FlowLogTraffic.Generate(options, trafficStart, $"/vpc/local-{runId}");
        var poisoned = options.Faults.PoisonFirstLogGroupFor is { } poisonFor ? (LogGroup: plan.Groups[0].Name, Until: trafficStart + poisonFor) : ((string LogGroup, DateTimeOffset Until)?)null;
        return new ScenarioSetup(
            options,
            template,
            settle,
            debounce,
            runId,
            output,
            interval,
            clock,
            deadline,
            trafficStart,
            plan,
            QueueTiming.FromTemplate(template, options.Speed),
            TemplateParameters(options, settle, debounce, trafficStart),
            poisoned);
    }

    /// <summary>The template parameters a run overrides: the settle delay and debounce always, the rest where the options set them.</summary>
    private static Dictionary<string, string> TemplateParameters(ScenarioOptions options, TimeSpan settle, TimeSpan debounce, DateTimeOffset trafficStart)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SettleDelaySeconds"] = ((long)settle.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["DebounceSeconds"] = ((long)debounce.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (options.MinExportWindow is { } minWindow)
        {
            parameters["MinExportWindowSeconds"] = ((long)minWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (options.LateEvents is { } lateEvents)
        {
            parameters["LateEvents"] = lateEvents;
        }

        if (options.SettleDelayMode is { } settleMode)
        {
            parameters["SettleDelayMode"] = settleMode;
        }

        if (options.ClaimLease is { } lease)
        {
            parameters["ClaimLeaseSeconds"] = ((long)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (options.ExportStartBeforeTraffic is { } before)
        {
            parameters["ExportStart"] = (trafficStart - before).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return parameters;
    }
}
