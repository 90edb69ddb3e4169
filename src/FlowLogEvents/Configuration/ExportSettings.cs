using System.Globalization;
using FlowLogEvents.Exports;
using FlowLogEvents.Verification;

namespace FlowLogEvents.Configuration;

/// <summary>The export function's settings, read once per execution environment.</summary>
public sealed record ExportSettings(Uri SignalQueueUrl, Uri DeadLetterQueueUrl, string StateBucket, string StatePrefix, ExportPolicy Policy)
{
    public const string SignalQueueUrlVariable = "SIGNAL_QUEUE_URL";
    public const string DeadLetterQueueUrlVariable = "DEAD_LETTER_QUEUE_URL";
    public const string ExportBucketVariable = "EXPORT_BUCKET";
    public const string ExportPrefixVariable = "EXPORT_PREFIX";
    public const string StateBucketVariable = "STATE_BUCKET";
    public const string StatePrefixVariable = "STATE_PREFIX";
    public const string SettleDelayVariable = "SETTLE_DELAY_SECONDS";
    public const string SettleDelayModeVariable = "SETTLE_DELAY_MODE";
    public const string MinWindowVariable = "MIN_EXPORT_WINDOW_SECONDS";
    public const string MaxWindowVariable = "MAX_EXPORT_WINDOW_SECONDS";
    public const string ClaimLeaseVariable = "CLAIM_LEASE_SECONDS";
    public const string ExportStartVariable = "EXPORT_START";
    public const string ClockSkewVariable = "CLOCK_SKEW_SECONDS";
    public const string LateEventsVariable = "LATE_EVENTS";
    public const string VerifyFirstAfterVariable = "VERIFY_FIRST_AFTER_SECONDS";
    public const string VerifyFinalAfterVariable = "VERIFY_FINAL_AFTER_SECONDS";

    /// <summary>
    /// The export function's Timeout (from the template): Lambda's reserved variables do not carry it, and the
    /// claim lease must outlast it.
    /// </summary>
    public const string FunctionTimeoutVariable = "FUNCTION_TIMEOUT_SECONDS";

    /// <summary>Lambda's largest function timeout.</summary>
    public static readonly TimeSpan LambdaMaxTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The stack's name (the template sets it from AWS::StackName): hashed into task names, see <see cref="ExportPolicy.Deployment"/>.</summary>
    public const string StackNameVariable = "STACK_NAME";

    public static readonly TimeSpan DefaultSettleDelay = ExportPolicy.DefaultSettleDelay;
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(1);

    public static ExportSettings Read(EnvironmentReader env)
    {
        var exportBucket = env.Required(ExportBucketVariable);
        var (mode, fixedStart) = ParseStart(env.Optional(ExportStartVariable, "first-signal"));
        var lateEvents = ParseLateEvents(env.Optional(LateEventsVariable, "repair"));
        var policy = new ExportPolicy
        {
            ExportBucket = exportBucket,
            ExportPrefix = env.Optional(ExportPrefixVariable, "flowlogevents/exports"),
            Deployment = env.Required(StackNameVariable),
            SettleDelay = env.Seconds(SettleDelayVariable, DefaultSettleDelay, TimeSpan.Zero, TimeSpan.FromHours(24)),
            ClockSkewMargin = env.Seconds(ClockSkewVariable, DefaultClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(15)),
            LearnSettleDelay = ParseSettleMode(env.Optional(SettleDelayModeVariable, "learn")),
            LateEvents = lateEvents,
            Verification = new VerificationPolicy
            {
                FirstAfter = env.Seconds(VerifyFirstAfterVariable, VerificationPolicy.DefaultFirstAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
                FinalAfter = env.Seconds(VerifyFinalAfterVariable, VerificationPolicy.DefaultFinalAfter, TimeSpan.FromMinutes(1), TimeSpan.FromDays(14)),
                Repair = lateEvents != LateEventsMode.Report,
            },
            MinWindow = env.Seconds(MinWindowVariable, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
            MaxWindow = env.Seconds(MaxWindowVariable, ExportPolicy.DefaultMaxWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
            ClaimLease = env.Seconds(ClaimLeaseVariable, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)),
            StartMode = mode,
            FixedStart = fixedStart,
        };
        if (policy.Verification.FinalAfter < policy.Verification.FirstAfter)
        {
            throw new ConfigurationException($"{VerifyFinalAfterVariable} ({policy.Verification.FinalAfter.TotalSeconds}) must not be less than {VerifyFirstAfterVariable} ({policy.Verification.FirstAfter.TotalSeconds})");
        }

        if (policy.MinWindow > policy.MaxWindow)
        {
            throw new ConfigurationException($"{MinWindowVariable} ({policy.MinWindow.TotalSeconds}) must not exceed {MaxWindowVariable} ({policy.MaxWindow.TotalSeconds})");
        }

        var timeout = RequiredSeconds(env, FunctionTimeoutVariable, TimeSpan.FromSeconds(1), LambdaMaxTimeout);
        var leastLease = MinimumClaimLease(timeout, policy.ClockSkewMargin);
        if (policy.ClaimLease < leastLease)
        {
            throw new ConfigurationException(
                $"environment variable {ClaimLeaseVariable} ({policy.ClaimLease.TotalSeconds}) must be at least {FunctionTimeoutVariable} ({timeout.TotalSeconds}) + 2 x {ClockSkewVariable} ({policy.ClockSkewMargin.TotalSeconds}) = {leastLease.TotalSeconds} seconds: a shorter lease lets a second runner take over a window its claimer is still creating");
        }

        return new ExportSettings(
            env.Url(SignalQueueUrlVariable),
            env.Url(DeadLetterQueueUrlVariable),
            env.Optional(StateBucketVariable, exportBucket),
            env.Optional(StatePrefixVariable, "flowlogevents/state"),
            policy);
    }

    /// <summary>
    /// The shortest claim lease that keeps a claimed window its claimer's: the claimer may run up to its timeout
    /// after claiming, and the claimer's clock may be the skew margin behind CloudWatch's while another runner's is
    /// the margin ahead, so the other runner may see the lease end twice the margin early.
    /// </summary>
    public static TimeSpan MinimumClaimLease(TimeSpan functionTimeout, TimeSpan clockSkew) => functionTimeout + clockSkew + clockSkew;

    private static TimeSpan RequiredSeconds(EnvironmentReader env, string name, TimeSpan min, TimeSpan max)
    {
        _ = env.Required(name);
        return env.Seconds(name, TimeSpan.Zero, min, max);
    }

    private static bool ParseSettleMode(string value) =>
        value.ToLowerInvariant() switch
        {
            "learn" => true,
            "fixed" => false,
            _ => throw new ConfigurationException($"environment variable {SettleDelayModeVariable} must be 'learn' or 'fixed', got '{value}'"),
        };

    private static LateEventsMode ParseLateEvents(string value) =>
        value.ToLowerInvariant() switch
        {
            "report" => LateEventsMode.Report,
            "reexport" => LateEventsMode.Reexport,
            "repair" => LateEventsMode.Repair,
            _ => throw new ConfigurationException($"environment variable {LateEventsVariable} must be 'repair', 'report' or 'reexport', got '{value}'"),
        };

    private static (StartMode, DateTimeOffset?) ParseStart(string value)
    {
        if (value.Equals("first-signal", StringComparison.OrdinalIgnoreCase))
        {
            return (StartMode.FirstSignal, null);
        }

        if (value.Equals("log-group-creation", StringComparison.OrdinalIgnoreCase))
        {
            return (StartMode.LogGroupCreation, null);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? (StartMode.Fixed, instant)
            : throw new ConfigurationException($"environment variable {ExportStartVariable} must be 'first-signal', 'log-group-creation' or an ISO-8601 instant, got '{value}'");
    }
}
