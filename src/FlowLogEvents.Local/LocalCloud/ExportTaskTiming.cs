namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// How long emulated export tasks stay PENDING and RUNNING, in simulated time. A task is PENDING for
/// <see cref="PendingFor"/> x f, then RUNNING for (<see cref="RunningBase"/> + <see cref="RunningPerThousandEvents"/> x
/// events/1000) x f, where f is the task's own draw: log-normal with median 1 and <see cref="Spread"/> (sigma of its log),
/// times a factor between <see cref="TailFactorMin"/> and <see cref="TailFactorMax"/> for a <see cref="TailFraction"/> of
/// the tasks. Draws come from a generator seeded with <see cref="Seed"/>, in the order the tasks are created.
/// </summary>
/// <remarks>
/// What AWS documents: export tasks "might take anywhere from a few seconds to a few hours, depending on the size of the
/// data" and "time out after 24 hours". It publishes no distribution; <see cref="Typical"/> is our assumption (a median
/// of minutes, a spread, and a tail of tasks ten to forty times longer), chosen to be harsher than the old fixed minute.
/// A task whose time would pass the 24-hour timeout ends FAILED at that instant (<see cref="ExportTaskBook"/>).
/// </remarks>
public sealed record ExportTaskTiming(TimeSpan PendingFor, TimeSpan RunningBase, TimeSpan RunningPerThousandEvents)
{
    /// <summary>The default median task time, in minutes (<c>--task-minutes</c>).</summary>
    public const double DefaultTaskMinutes = 2;

    /// <summary>Sigma of the log of a task's draw; 0 makes every task take exactly its base time.</summary>
    public double Spread { get; init; }

    /// <summary>Share of tasks (0-1) in the tail.</summary>
    public double TailFraction { get; init; }

    public double TailFactorMin { get; init; } = 1;

    public double TailFactorMax { get; init; } = 1;

    public int Seed { get; init; } = 1;

    /// <summary><see cref="Typical"/> of <see cref="DefaultTaskMinutes"/>.</summary>
    public static ExportTaskTiming Default { get; } = Typical(TimeSpan.FromMinutes(DefaultTaskMinutes));

    /// <summary>
    /// Tasks whose median time is <paramref name="median"/> (a quarter PENDING, the rest RUNNING, plus 10 s per
    /// thousand events), with a log-normal spread of 0.5 (a tenth of the tasks take more than 1.9 times the median,
    /// a tenth less than half of it) and 3 % of them 5 to 20 times longer still.
    /// </summary>
    public static ExportTaskTiming Typical(TimeSpan median)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(median, TimeSpan.Zero);
        return new ExportTaskTiming(median * 0.25, median * 0.75, TimeSpan.FromSeconds(10))
        {
            Spread = 0.5,
            TailFraction = 0.03,
            TailFactorMin = 5,
            TailFactorMax = 20,
        };
    }

    /// <summary>Every task takes exactly the given times (no spread, no tail).</summary>
    public static ExportTaskTiming Fixed(TimeSpan pendingFor, TimeSpan runningFor) => new(pendingFor, runningFor, TimeSpan.Zero);

    /// <summary>One line for run reports: what timing the emulated tasks had.</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var basis = string.Create(inv, $"PENDING {PendingFor.TotalSeconds:0} s + RUNNING {RunningBase.TotalSeconds:0} s + {RunningPerThousandEvents.TotalSeconds:0} s per 1,000 events");
        return Spread <= 0 && TailFraction <= 0
            ? "fixed: " + basis
            : string.Create(inv, $"median {basis}, log-normal spread {Spread:0.##}, {TailFraction * 100:0.#} % of tasks {TailFactorMin:0.#}-{TailFactorMax:0.#} times longer; FAILED past 24 h");
    }

    /// <summary>The PENDING and RUNNING time of one task of <paramref name="events"/> events.</summary>
    internal (TimeSpan Pending, TimeSpan Running) Draw(Random random, int events)
    {
        ArgumentNullException.ThrowIfNull(random);
#pragma warning disable CA5394 // A seeded, reproducible generator is the point; nothing here is security relevant.
        var factor = 1.0;
        if (Spread > 0)
        {
            // Box-Muller: a standard normal from two uniform draws.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            factor = Math.Exp(Spread * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        if (TailFraction > 0 && random.NextDouble() < TailFraction)
        {
            factor *= TailFactorMin + (random.NextDouble() * (TailFactorMax - TailFactorMin));
        }
#pragma warning restore CA5394

        var running = RunningBase + (RunningPerThousandEvents * (events / 1000.0));
        return (PendingFor * factor, running * factor);
    }
}
