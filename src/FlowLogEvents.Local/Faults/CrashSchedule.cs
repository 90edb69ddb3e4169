namespace FlowLogEvents.Local.Faults;

/// <summary>Decides, with a seeded generator, whether reaching a crash point kills the process.</summary>
public sealed class CrashSchedule
{
    private readonly HashSet<string> _armed;
    private readonly double _rate;
    private readonly int _max;
    private readonly FaultCounters _counters;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public CrashSchedule(FaultOptions options, FaultCounters counters, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _armed = [.. options.CrashAt];
        _rate = options.CrashRate;
        _max = options.MaxCrashesPerStep;
        _counters = counters;
#pragma warning disable CA5394
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    public bool Armed => _armed.Count > 0;

    /// <summary>Returns normally, or never (the process died at <paramref name="step"/>).</summary>
    public Task ReachAsync(string step, ProcessDeath death)
    {
        ArgumentNullException.ThrowIfNull(death);
        return Reach(step) ? death.DieAsync(step) : Task.CompletedTask;
    }

    /// <summary>
    /// Counts reaching <paramref name="step"/> and draws whether the process dies there: true means the
    /// caller must kill it now (counted as <c>crash.&lt;step&gt;</c>).
    /// </summary>
    public bool Reach(string step)
    {
        if (!_armed.Contains(step))
        {
            return false;
        }

        lock (_gate)
        {
            _counters.Add("reached." + step);
#pragma warning disable CA5394
            if (_counters.Get("crash." + step) >= _max || _random.NextDouble() >= _rate)
#pragma warning restore CA5394
            {
                return false;
            }

            _counters.Add("crash." + step);
            return true;
        }
    }
}
