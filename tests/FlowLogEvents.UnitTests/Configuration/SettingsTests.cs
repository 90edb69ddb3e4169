using FlowLogEvents.Configuration;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Configuration;

public class SettingsTests
{
    private static readonly Dictionary<string, string> ExportMinimum = new()
    {
        ["SIGNAL_QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/flowlogevents-signals.fifo",
        ["DEAD_LETTER_QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/flowlogevents-dlq.fifo",
        ["EXPORT_BUCKET"] = "flow-exports",
        ["FUNCTION_TIMEOUT_SECONDS"] = "60",
        ["STACK_NAME"] = "flowlogevents-prod",
    };

    private static EnvironmentReader Env(Dictionary<string, string> values) => new(name => values.GetValueOrDefault(name));

    [Fact]
    public void ExportSettingsRead_OnlyRequiredVariables_AppliesDocumentedDefaults()
    {
        var settings = ExportSettings.Read(Env(ExportMinimum));

        Assert.Equal("flow-exports", settings.StateBucket);
        Assert.Equal("flowlogevents/state", settings.StatePrefix);
        Assert.Equal("flowlogevents/exports", settings.Policy.ExportPrefix);
        Assert.Equal(TimeSpan.FromMinutes(21), settings.Policy.SettleDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Policy.MinWindow);
        Assert.Equal(TimeSpan.FromHours(6), settings.Policy.MaxWindow);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.Policy.ClaimLease);
        Assert.Equal(StartMode.FirstSignal, settings.Policy.StartMode);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Policy.ClockSkewMargin);
        Assert.Equal(LateEventsMode.Repair, settings.Policy.LateEvents);
        Assert.True(settings.Policy.LearnSettleDelay);
        Assert.Equal(
            new FlowLogEvents.Verification.VerificationPolicy { FirstAfter = TimeSpan.FromMinutes(5), FinalAfter = TimeSpan.FromMinutes((12 * 60) + 15), RetryAfter = TimeSpan.FromMinutes(5), Repair = true, MaxWindowsPerRun = 2 },
            settings.Policy.Verification);
        Assert.Equal("flowlogevents-prod", settings.Policy.Deployment);
    }

    [Theory]
    [InlineData("report", LateEventsMode.Report)]
    [InlineData("REEXPORT", LateEventsMode.Reexport)]
    [InlineData("repair", LateEventsMode.Repair)]
    public void ExportSettingsRead_LateEvents_ParsesTheMode(string value, LateEventsMode expected)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["LATE_EVENTS"] = value, ["CLOCK_SKEW_SECONDS"] = "300" };

        var policy = ExportSettings.Read(Env(values)).Policy;

        Assert.Equal((expected, TimeSpan.FromMinutes(5), 26 * 60_000L), (policy.LateEvents, policy.ClockSkewMargin, policy.SettledLagMillis));
    }

    [Theory]
    [InlineData("LATE_EVENTS", "drop", "environment variable LATE_EVENTS must be 'repair', 'report' or 'reexport', got 'drop'")]
    [InlineData("CLOCK_SKEW_SECONDS", "901", "environment variable CLOCK_SKEW_SECONDS must be between 0 and 900 seconds, got 901")]
    [InlineData("SETTLE_DELAY_MODE", "auto", "environment variable SETTLE_DELAY_MODE must be 'learn' or 'fixed', got 'auto'")]
    [InlineData("VERIFY_FIRST_AFTER_SECONDS", "3601", "environment variable VERIFY_FIRST_AFTER_SECONDS must be between 1 and 3600 seconds, got 3601")]
    [InlineData("VERIFY_FINAL_AFTER_SECONDS", "120", "VERIFY_FINAL_AFTER_SECONDS (120) must not be less than VERIFY_FIRST_AFTER_SECONDS (300)")]
    public void ExportSettingsRead_InvalidLateOrSkew_ThrowsNamingIt(string variable, string value, string message)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { [variable] = value };

        Assert.Equal(message, Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values))).Message);
    }

    [Theory]
    [InlineData("SIGNAL_QUEUE_URL")]
    [InlineData("DEAD_LETTER_QUEUE_URL")]
    [InlineData("EXPORT_BUCKET")]
    [InlineData("FUNCTION_TIMEOUT_SECONDS")]
    [InlineData("STACK_NAME")]
    public void ExportSettingsRead_RequiredVariableMissing_ThrowsNamingIt(string variable)
    {
        var values = new Dictionary<string, string>(ExportMinimum);
        values.Remove(variable);

        var ex = Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values)));

        Assert.Equal($"environment variable {variable} is required but not set", ex.Message);
    }

    [Theory]
    [InlineData("SETTLE_DELAY_SECONDS", "fifteen", "environment variable SETTLE_DELAY_SECONDS must be a number of seconds, got 'fifteen'")]
    [InlineData("SETTLE_DELAY_SECONDS", "-1", "environment variable SETTLE_DELAY_SECONDS must be between 0 and 86400 seconds, got -1")]
    [InlineData("EXPORT_START", "yesterday", "environment variable EXPORT_START must be 'first-signal', 'log-group-creation' or an ISO-8601 instant, got 'yesterday'")]
    [InlineData("SIGNAL_QUEUE_URL", "not a url", "environment variable SIGNAL_QUEUE_URL must be an http(s) URL, got 'not a url'")]
    public void ExportSettingsRead_InvalidValue_ThrowsNamingVariableAndValue(string variable, string value, string message)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { [variable] = value };

        var ex = Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values)));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("1", "60")]
    [InlineData("179", "60")]
    [InlineData("900", "421")]
    public void ExportSettingsRead_LeaseShorterThanTimeoutPlusTwiceSkew_ThrowsNamingIt(string lease, string skew)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["CLAIM_LEASE_SECONDS"] = lease, ["CLOCK_SKEW_SECONDS"] = skew };

        var ex = Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values)));

        var needed = 60 + (2 * int.Parse(skew, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            $"environment variable CLAIM_LEASE_SECONDS ({lease}) must be at least FUNCTION_TIMEOUT_SECONDS (60) + 2 x CLOCK_SKEW_SECONDS ({skew}) = {needed} seconds: a shorter lease lets a second runner take over a window its claimer is still creating",
            ex.Message);
    }

    [Theory]
    [InlineData("180", "60")]
    [InlineData("900", "420")]
    public void ExportSettingsRead_LeaseAtTimeoutPlusTwiceSkew_IsAccepted(string lease, string skew)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["CLAIM_LEASE_SECONDS"] = lease, ["CLOCK_SKEW_SECONDS"] = skew };

        Assert.Equal(TimeSpan.FromSeconds(int.Parse(lease, System.Globalization.CultureInfo.InvariantCulture)), ExportSettings.Read(Env(values)).Policy.ClaimLease);
    }

    [Theory]
    [InlineData("0", "environment variable FUNCTION_TIMEOUT_SECONDS must be between 1 and 900 seconds, got 0")]
    [InlineData("901", "environment variable FUNCTION_TIMEOUT_SECONDS must be between 1 and 900 seconds, got 901")]
    public void ExportSettingsRead_FunctionTimeoutOutsideLambdasRange_ThrowsNamingIt(string timeout, string message)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["FUNCTION_TIMEOUT_SECONDS"] = timeout };

        Assert.Equal(message, Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values))).Message);
    }

    [Fact]
    public void ExportSettingsRead_MinWindowAboveMaxWindow_Throws()
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["MIN_EXPORT_WINDOW_SECONDS"] = "7200", ["MAX_EXPORT_WINDOW_SECONDS"] = "3600" };

        var ex = Assert.Throws<ConfigurationException>(() => ExportSettings.Read(Env(values)));

        Assert.StartsWith("MIN_EXPORT_WINDOW_SECONDS (7200) must not exceed MAX_EXPORT_WINDOW_SECONDS (3600)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("log-group-creation", StartMode.LogGroupCreation, null)]
    [InlineData("2026-11-01T00:00:00Z", StartMode.Fixed, 1793491200000L)]
    public void ExportSettingsRead_ExportStart_ParsesMode(string value, StartMode mode, long? fixedMillis)
    {
        var values = new Dictionary<string, string>(ExportMinimum) { ["EXPORT_START"] = value };

        var policy = ExportSettings.Read(Env(values)).Policy;

        Assert.Equal(mode, policy.StartMode);
        Assert.Equal(fixedMillis, policy.FixedStart?.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void SignalSettingsRead_DebounceGiven_UsesIt()
    {
        var settings = SignalSettings.Read(Env(new() { ["SIGNAL_QUEUE_URL"] = "http://127.0.0.1:5000/123456789012/q.fifo", ["DEBOUNCE_SECONDS"] = "120" }));

        Assert.Equal(new Uri("http://127.0.0.1:5000/123456789012/q.fifo"), settings.SignalQueueUrl);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.Debounce);
    }

    [Fact]
    public void SignalSettingsRead_QueueMissing_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SignalSettings.Read(Env([])));

        Assert.Equal("environment variable SIGNAL_QUEUE_URL is required but not set", ex.Message);
    }

    [Fact]
    public void SignalSettingsRead_LambdaAndExportLogGroupVariables_AreItsOwnLogGroups()
    {
        var settings = SignalSettings.Read(Env(new() { ["SIGNAL_QUEUE_URL"] = "http://127.0.0.1:5000/123456789012/q.fifo", ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/fle-signal", ["EXPORT_FUNCTION_LOG_GROUP"] = "/aws/lambda/fle-export" }));

        Assert.Equal(["/aws/lambda/fle-signal", "/aws/lambda/fle-export"], settings.OwnLogGroups);
    }
}
