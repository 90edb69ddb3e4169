using System.Globalization;
using FlowLogEvents.Configuration;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// The template's default settle delay against VPC Flow Logs' default timing (../shared/reference/aws-semantics.md,
/// "VPC Flow Logs in CloudWatch Logs"): records are aggregated over 10 minutes by default, delivered to CloudWatch Logs
/// "typically about 5 minutes after the interval, best effort", and the event timestamp is the record's <c>start</c>, which
/// can be the interval's first second. A record is judged late when it arrives more than settle - clock skew after its
/// timestamp; with the defaults no on-time record may be.
/// </summary>
public sealed class TemplateTimingTests
{
    private static readonly TimeSpan DefaultAggregation = TimeSpan.FromMinutes(10);

    /// <summary>"Typically about 5 minutes", best effort: the harsher reading covers twice that.</summary>
    private static readonly TimeSpan CoveredDeliveryDelay = TimeSpan.FromMinutes(2 * 5);

    [Fact]
    public void SettleDelayDefault_VpcFlowLogsDefaultAggregationAndDelivery_JudgesNoOnTimeRecordLate()
    {
        var settle = TimeSpan.FromSeconds(ParameterDefault("SettleDelaySeconds"));
        var skew = TimeSpan.FromSeconds(ParameterDefault("ClockSkewSeconds"));

        var oldestOnTimeRecordAge = DefaultAggregation + CoveredDeliveryDelay;

        Assert.True(settle - skew >= oldestOnTimeRecordAge, $"settle {settle} - skew {skew} < {oldestOnTimeRecordAge}");
        Assert.Equal(TimeSpan.FromMinutes(21), settle);
    }

    [Fact]
    public void SettleDelayDefault_OfTemplateAndCode_AreTheSame()
    {
        Assert.Equal(TimeSpan.FromSeconds(ParameterDefault("SettleDelaySeconds")), ExportSettings.DefaultSettleDelay);
        Assert.Equal(TimeSpan.FromSeconds(ParameterDefault("ClockSkewSeconds")), ExportSettings.DefaultClockSkew);
        Assert.Equal(ExportSettings.DefaultSettleDelay, new FlowLogEvents.Exports.ExportPolicy { ExportBucket = "bucket", ExportPrefix = "exports" }.SettleDelay);
    }

    private static double ParameterDefault(string name) =>
        double.Parse(RepositoryFiles.Template["Parameters"]![name]!["Default"]!.ToString(), CultureInfo.InvariantCulture);
}
