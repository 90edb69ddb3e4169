using FlowLogEvents.Configuration;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.Harness;

public sealed class ServerlessTemplateTests
{
    private readonly ServerlessTemplate _template = ServerlessTemplate.Load();

    [Theory]
    [InlineData(1, 60, 360)]
    [InlineData(60, 1, 6)]
    [InlineData(120, 1, 3)]
    [InlineData(1000, 1, 1)]
    public void QueueTiming_ScalesTheTemplatesTimersBySpeed(double speed, int delay, int visibility)
    {
        var timing = QueueTiming.FromTemplate(_template, speed);

        Assert.Equal((delay, visibility, 5, 10), (timing.DelaySeconds, timing.VisibilityTimeoutSeconds, timing.MaxReceiveCount, timing.BatchSize));
    }

    [Fact]
    public void Environment_ResolvesRefsThenParameterDefaults()
    {
        var refs = new Dictionary<string, string>
        {
            ["SignalQueue"] = "http://127.0.0.1:5000/123456789012/signals.fifo",
            ["DeadLetterQueue"] = "http://127.0.0.1:5000/123456789012/dlq.fifo",
            ["ExportBucketName"] = "bucket",
            ["SettleDelaySeconds"] = "600",
            ["ExportFunctionLogGroup"] = "/aws/lambda/ExportFunction",
        };

        var env = _template.Environment("ExportFunction", refs);
        var settings = ExportSettings.Read(new EnvironmentReader(env.GetValueOrDefault));

        Assert.Equal("DeadLetterQueue", _template.DeadLetterTarget("SignalQueue"));
        Assert.Equal(("bucket", "flowlogevents/exports", "flowlogevents/state"), (settings.Policy.ExportBucket, settings.Policy.ExportPrefix, settings.StatePrefix));
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Policy.SettleDelay);
        Assert.Equal(new Uri(refs["DeadLetterQueue"]), settings.DeadLetterQueueUrl);
        var signal = SignalSettings.Read(new EnvironmentReader(_template.Environment("SignalFunction", refs).GetValueOrDefault));
        Assert.Equal(TimeSpan.FromSeconds(60), signal.Debounce);
    }
}
