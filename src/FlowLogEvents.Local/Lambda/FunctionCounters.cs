using System.Collections.Concurrent;

namespace FlowLogEvents.Local.Lambda;

/// <summary>What happened to one function's invocations and environments (thread-safe).</summary>
public sealed class FunctionCounters
{
    private readonly ConcurrentQueue<ColdStartTiming> _coldStartTimings = new();
    private int _coldStarts;
    private int _invocations;
    private int _successes;
    private int _functionErrors;
    private int _timeouts;
    private int _deaths;
    private int _initErrors;
    private int _payloadRejections;

    /// <summary>Processes started.</summary>
    public int ColdStarts => Volatile.Read(ref _coldStarts);

    /// <summary>Invocations handed to an environment (payload rejections are not counted here).</summary>
    public int Invocations => Volatile.Read(ref _invocations);

    public int Successes => Volatile.Read(ref _successes);

    public int FunctionErrors => Volatile.Read(ref _functionErrors);

    public int Timeouts => Volatile.Read(ref _timeouts);

    public int Deaths => Volatile.Read(ref _deaths);

    public int InitErrors => Volatile.Read(ref _initErrors);

    public int PayloadRejections => Volatile.Read(ref _payloadRejections);

    /// <summary>One entry per cold start whose first invocation has ended, in that order.</summary>
    public IReadOnlyList<ColdStartTiming> ColdStartTimings => [.. _coldStartTimings];

    internal void ColdStarted() => Interlocked.Increment(ref _coldStarts);

    internal void AddColdStartTiming(ColdStartTiming timing) => _coldStartTimings.Enqueue(timing);

    internal void Ended(InvocationOutcome outcome)
    {
        if (outcome == InvocationOutcome.PayloadTooLarge)
        {
            Interlocked.Increment(ref _payloadRejections);
            return;
        }

        Interlocked.Increment(ref _invocations);
        switch (outcome)
        {
            case InvocationOutcome.Success:
                Interlocked.Increment(ref _successes);
                break;
            case InvocationOutcome.FunctionError:
                Interlocked.Increment(ref _functionErrors);
                break;
            case InvocationOutcome.TimedOut:
                Interlocked.Increment(ref _timeouts);
                break;
            case InvocationOutcome.Died:
                Interlocked.Increment(ref _deaths);
                break;
            case InvocationOutcome.InitError:
                Interlocked.Increment(ref _initErrors);
                break;
        }
    }
}
