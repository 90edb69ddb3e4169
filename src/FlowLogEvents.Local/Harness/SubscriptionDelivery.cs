using FlowLogEvents.Functions;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// The subscription filter's side of Lambda: hands each delivery to the signal function's real
/// handler in one of several warm execution environments (an idle one, picked by the seeded RNG;
/// an environment runs one invocation at a time), and retries a delivery whose invocation threw (or
/// whose process died) twice more, about 1 and 2 minutes later, as Lambda's asynchronous invocation
/// does. With a duplicate rate, some deliveries are made a second time (at-least-once delivery).
/// </summary>
public sealed class SubscriptionDelivery
{
    /// <summary>Lambda's asynchronous-invoke retries: 2 more attempts, about 1 and 2 minutes apart.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    private readonly IFunctionInvoker[] _instances;
    private readonly SemaphoreSlim[] _busy;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly SimulatedClock _clock;
    private readonly RunCounters _counters;
    private readonly Action<string> _problem;
    private readonly double _duplicateRate;

    public SubscriptionDelivery(IReadOnlyList<SignalFunction> instances, int seed, SimulatedClock clock, RunCounters counters, Action<string> problem)
        : this(instances.Select(f => new FunctionHost<SignalFunction>(_ => f, static (fn, input) => fn.HandleAsync(input))).ToList(), seed, clock, counters, problem, 0)
    {
    }

    public SubscriptionDelivery(IReadOnlyList<IFunctionInvoker> instances, int seed, SimulatedClock clock, RunCounters counters, Action<string> problem, double duplicateRate)
    {
        ArgumentNullException.ThrowIfNull(instances);
        _instances = [.. instances];
        _busy = _instances.Select(_ => new SemaphoreSlim(1, 1)).ToArray();
#pragma warning disable CA5394 // Reproducible routing, not security.
        _random = new Random(seed);
#pragma warning restore CA5394
        _clock = clock;
        _counters = counters;
        _problem = problem;
        _duplicateRate = duplicateRate;
    }

    /// <summary>Invokes the handler with <paramref name="invocation"/> (the awslogs JSON); never throws except on cancellation.</summary>
    public async Task DeliverAsync(byte[] invocation, string description, CancellationToken ct)
    {
        await DeliverOnceAsync(invocation, description, ct).ConfigureAwait(false);
        if (_duplicateRate > 0 && Draw() < _duplicateRate)
        {
            // CloudWatch Logs delivers at least once: the same payload again, a little later.
            _counters.SubscriptionDuplicated();
            await _clock.DelayAsync(TimeSpan.FromSeconds(5 + (Draw() * 55)), ct).ConfigureAwait(false);
            await DeliverOnceAsync(invocation, description + " (duplicate)", ct).ConfigureAwait(false);
        }
    }

    private async Task DeliverOnceAsync(byte[] invocation, string description, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                _counters.SubscriptionRetried();
            }

            var index = Pick();
            await _busy[index].WaitAsync(ct).ConfigureAwait(false);
            Exception? error = null;
            try
            {
                _counters.SubscriptionInvoked();
                await using var output = await _instances[index].InvokeAsync(invocation).ConfigureAwait(false);
                if (output is null)
                {
                    error = new InvalidOperationException("the execution environment died (no response)");
                    _counters.SubscriptionFailed();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = ex;
                _counters.SubscriptionFailed();
            }
            finally
            {
                _busy[index].Release();
            }

            if (error is null)
            {
                return;
            }

            if (attempt == RetryDelays.Count)
            {
                _counters.SubscriptionDropped();
                _problem($"subscription delivery {description} failed {attempt + 1} times and was dropped: {error.GetType().Name}: {error.Message}");
                return;
            }

            await _clock.DelayAsync(RetryDelays[attempt], ct).ConfigureAwait(false);
        }
    }

    private double Draw()
    {
        lock (_randomGate)
        {
#pragma warning disable CA5394
            return _random.NextDouble();
#pragma warning restore CA5394
        }
    }

    private int Pick()
    {
        lock (_randomGate)
        {
#pragma warning disable CA5394
            var idle = Enumerable.Range(0, _busy.Length).Where(i => _busy[i].CurrentCount > 0).ToList();
            return idle.Count > 0 ? idle[_random.Next(idle.Count)] : _random.Next(_busy.Length);
#pragma warning restore CA5394
        }
    }
}
