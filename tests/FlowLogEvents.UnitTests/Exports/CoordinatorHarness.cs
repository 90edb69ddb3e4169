using FlowLogEvents.Exports;
using FlowLogEvents.Signals;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.Exports;

/// <summary>Fakes wired around <see cref="ExportCoordinator"/>; each <see cref="RunAsync"/> is a fresh runner.</summary>
internal sealed class CoordinatorHarness : IDisposable
{
    public const long Second = 1_000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;
    public const long Day = 24 * Hour;

    /// <summary>2026-11-26T15:00:00Z.</summary>
    public const long T0 = 1_795_705_200_000;

    public const string LogGroup = "/aws/vpc/flow-logs/prod";
    public const string Bucket = "flowlog-archive";
    public const string Prefix = "flowlogevents/exports";
    public const string Destination = "flowlogevents/exports/aws/vpc/flow-logs/prod";

    public CoordinatorHarness(ExportPolicy? policy = null)
    {
        Policy = policy ?? DefaultPolicy;
        Time = new ManualTimeProvider(T0);
        Tasks = new FakeExportTasks(Time);
        Telemetry = new TelemetryCapture(Time);
    }

    public static ExportPolicy DefaultPolicy { get; } = new()
    {
        ExportBucket = Bucket,
        ExportPrefix = Prefix,
        SettleDelay = TimeSpan.FromMinutes(15),
        MinWindow = TimeSpan.FromMinutes(5),
        MaxWindow = TimeSpan.FromDays(1),
        ClaimLease = TimeSpan.FromMinutes(15),
    };

    public ExportPolicy Policy { get; }

    public ManualTimeProvider Time { get; }

    public InMemoryCheckpointStore Store { get; } = new();

    public FakeExportTasks Tasks { get; }

    public TelemetryCapture Telemetry { get; }

    public Checkpoint? Checkpoint => Store.Get(LogGroup);

    public ExportCoordinator NewCoordinator() => new(Store, Tasks, Policy, Time, Telemetry.Telemetry);

    public Task<ExportOutcome> RunAsync(ExportWork work) => NewCoordinator().RunAsync(work, CancellationToken.None);

    public void Advance(long millis) => Time.Advance(TimeSpan.FromMilliseconds(millis));

    /// <summary>A checkpoint through which everything is exported, with nothing in flight.</summary>
    public string SeedExportedThrough(long exportedThrough, long exportsCompleted = 3) => Store.Put(new Checkpoint
    {
        LogGroup = LogGroup,
        StartTime = T0 - Day,
        ExportedThrough = exportedThrough,
        ExportsCompleted = exportsCompleted,
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(T0 - Hour),
    });

    /// <summary>A data signal sent in the debounce window [windowStart, windowEnd).</summary>
    public static Signal DataSignal(long first, long last, long windowStart, long windowEnd, string logGroup = LogGroup) => new()
    {
        LogGroup = logGroup,
        Owner = "123456789012",
        LogStream = "eni-0a1b2c3d4e5f67890-all",
        FirstEventTime = first,
        LastEventTime = last,
        EventCount = 42,
        WindowStart = windowStart,
        WindowEnd = windowEnd,
    };

    /// <summary>The usual signal: sent in the minute before T0 (target T0 - 1), events from <paramref name="first"/>.</summary>
    public static ExportWork Work(long first) => ExportWork.From(DataSignal(first, T0 - (2 * Second), T0 - Minute, T0));

    public static string TaskName(long from, long to, int attempt) => DefaultPolicy.TaskName(LogGroup, from, to, attempt);

    public void Dispose() => Telemetry.Dispose();
}
