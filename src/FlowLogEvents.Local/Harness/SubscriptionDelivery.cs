using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
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
/// When all three attempts fail, Lambda sends an invocation record (AWS's shape: <c>version</c>, <c>timestamp</c>,
/// <c>requestContext</c> with <c>requestId</c>, <c>functionArn</c>, <c>condition</c> <c>RetriesExhausted</c> and
/// <c>approximateInvokeCount</c>, <c>requestPayload</c> = the delivery, <c>responseContext</c>, <c>responsePayload</c>)
/// to the function's on-failure destination, when the template configures one (<see cref="OnFailureDestination"/>);
/// a record larger than SQS's 256 KiB is not delivered (Lambda counts it in DestinationDeliveryFailures).
/// Without a destination the delivery is gone.
/// </summary>
public sealed class SubscriptionDelivery
{
    /// <summary>Lambda's asynchronous-invoke retries: 2 more attempts, about 1 and 2 minutes apart.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    /// <summary>SQS's message size limit, which an invocation record must fit to reach a queue destination.</summary>
    public const int MaxDestinationRecordBytes = 256 * 1024;

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

    /// <summary>
    /// Sends an invocation record (JSON) to the function's on-failure destination, as Lambda does after the last
    /// failed attempt; null: the function has none (the template configures no <c>DestinationConfig.OnFailure</c>).
    /// </summary>
    public Func<string, CancellationToken, Task>? OnFailureDestination { get; init; }

    /// <summary>The function's ARN in invocation records.</summary>
    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:123456789012:function:SignalFunction:$LATEST";

    /// <summary>Share of data deliveries whose invocations all fail (fault injection: every attempt errors).</summary>
    public double FailureRate { get; init; }

    /// <summary>Invokes the handler with <paramref name="invocation"/> (the awslogs JSON); never throws except on cancellation.</summary>
    /// <remarks>With <c>failEveryAttempt</c> (fault injection) every attempt of this delivery fails (the function errors), so Lambda gives up on it.</remarks>
    public Task DeliverAsync(byte[] invocation, string description, CancellationToken ct) => DeliverAsync(invocation, description, false, ct);

    /// <inheritdoc cref="DeliverAsync(byte[], string, CancellationToken)"/>
    public async Task DeliverAsync(byte[] invocation, string description, bool failEveryAttempt, CancellationToken ct)
    {
        failEveryAttempt |= FailureRate > 0 && Draw() < FailureRate;
        await DeliverOnceAsync(invocation, description, failEveryAttempt, ct).ConfigureAwait(false);
        if (_duplicateRate > 0 && Draw() < _duplicateRate)
        {
            // CloudWatch Logs delivers at least once: the same payload again, a little later.
            _counters.SubscriptionDuplicated();
            await _clock.DelayAsync(TimeSpan.FromSeconds(5 + (Draw() * 55)), ct).ConfigureAwait(false);
            await DeliverOnceAsync(invocation, description + " (duplicate)", false, ct).ConfigureAwait(false);
        }
    }

    private async Task DeliverOnceAsync(byte[] invocation, string description, bool failEveryAttempt, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                _counters.SubscriptionRetried();
            }

            Exception? error = null;
            if (failEveryAttempt)
            {
                // The function errors before it signals (an injected fault: SQS unreachable from the function).
                _counters.SubscriptionInvoked();
                _counters.SubscriptionFailed();
                error = new HttpRequestException("injected: the signal function could not reach SQS");
                if (attempt == RetryDelays.Count)
                {
                    await GiveUpAsync(invocation, description, attempt + 1, error, ct).ConfigureAwait(false);
                    return;
                }

                await _clock.DelayAsync(RetryDelays[attempt], ct).ConfigureAwait(false);
                continue;
            }

            var index = Pick();
            await _busy[index].WaitAsync(ct).ConfigureAwait(false);
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
                await GiveUpAsync(invocation, description, attempt + 1, error, ct).ConfigureAwait(false);
                return;
            }

            await _clock.DelayAsync(RetryDelays[attempt], ct).ConfigureAwait(false);
        }
    }

    /// <summary>Lambda gives up on the delivery: its invocation record goes to the on-failure destination, if there is one.</summary>
    private async Task GiveUpAsync(byte[] invocation, string description, int attempts, Exception error, CancellationToken ct)
    {
        if (OnFailureDestination is not { } destination)
        {
            _counters.SubscriptionDropped();
            _problem($"subscription delivery {description} failed {attempts} times and was dropped: {error.GetType().Name}: {error.Message}");
            return;
        }

        var record = InvocationRecord(invocation, attempts, error);
        if (Encoding.UTF8.GetByteCount(record) > MaxDestinationRecordBytes)
        {
            _counters.SubscriptionDropped();
            _problem($"subscription delivery {description} failed {attempts} times; its invocation record is over {MaxDestinationRecordBytes} bytes and did not reach the destination (DestinationDeliveryFailures)");
            return;
        }

        await destination(record, ct).ConfigureAwait(false);
        _counters.SubscriptionSentToDestination();
    }

    /// <summary>The invocation record Lambda sends to an on-failure destination.</summary>
    public string InvocationRecord(byte[] invocation, int attempts, Exception error) => new JsonObject
    {
        ["version"] = "1.0",
        ["timestamp"] = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["requestContext"] = new JsonObject
        {
            ["requestId"] = NewRequestId(),
            ["functionArn"] = FunctionArn,
            ["condition"] = "RetriesExhausted",
            ["approximateInvokeCount"] = attempts,
        },
        ["requestPayload"] = JsonNode.Parse(invocation),
        ["responseContext"] = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST", ["functionError"] = "Unhandled" },
        ["responsePayload"] = new JsonObject { ["errorMessage"] = error.Message, ["errorType"] = error.GetType().Name },
    }.ToJsonString();

    private string NewRequestId()
    {
        var bytes = new byte[16];
        lock (_randomGate)
        {
#pragma warning disable CA5394
            _random.NextBytes(bytes);
#pragma warning restore CA5394
        }

        return new Guid(bytes).ToString();
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
