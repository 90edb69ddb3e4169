using System.Text.Json;

namespace FlowLogEvents.Signals;

/// <summary>Encodes and decodes signal messages (System.Text.Json, source-generated).</summary>
public static class SignalCodec
{
    /// <summary>SQS allows 256 KiB; a signal is a few hundred bytes, so anything large is not ours.</summary>
    public const int MaxBodyChars = 16 * 1024;

    public static string Encode(Signal signal) => JsonSerializer.Serialize(signal, SignalJsonContext.Default.Signal);

    /// <summary>
    /// As <see cref="Decode(string?)"/>, and the signal's times must be within <see cref="SignalLimits"/> on a clock
    /// that reads <paramref name="now"/> (epoch milliseconds).
    /// </summary>
    public static Signal Decode(string? body, long now)
    {
        var signal = Decode(body);
        return SignalLimits.Violation(signal, now) is { } violation ? throw new SignalFormatException(violation) : signal;
    }

    /// <summary>Decodes a signal and checks its shape and order (not its times against a clock: see <see cref="Decode(string?, long)"/>).</summary>
    public static Signal Decode(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new SignalFormatException("signal body is empty");
        }

        if (body.Length > MaxBodyChars)
        {
            throw new SignalFormatException($"signal body is {body.Length} characters, more than the {MaxBodyChars} a signal can be");
        }

        Signal? signal;
        try
        {
            signal = JsonSerializer.Deserialize(body, SignalJsonContext.Default.Signal);
        }
        catch (JsonException ex)
        {
            throw new SignalFormatException($"signal body is not a valid signal: {ex.Message}", ex);
        }

        if (signal is null)
        {
            throw new SignalFormatException("signal body is JSON null");
        }

        if (signal.Schema != Signal.CurrentSchema)
        {
            throw new SignalFormatException($"signal schema {signal.Schema} is not supported (this version reads schema {Signal.CurrentSchema})");
        }

        if (string.IsNullOrEmpty(signal.LogGroup))
        {
            throw new SignalFormatException("signal logGroup is empty");
        }

        if (signal.FirstEventTime > signal.LastEventTime)
        {
            throw new SignalFormatException($"signal firstEventTime {signal.FirstEventTime} is after lastEventTime {signal.LastEventTime}");
        }

        if (signal.OnTimeFirstEventTime is { } onTime && (onTime < signal.FirstEventTime || onTime > signal.LastEventTime))
        {
            throw new SignalFormatException($"signal onTimeFirstEventTime {onTime} is outside [firstEventTime {signal.FirstEventTime}, lastEventTime {signal.LastEventTime}]");
        }

        if (signal.WindowStart >= signal.WindowEnd)
        {
            throw new SignalFormatException($"signal windowStart {signal.WindowStart} is not before windowEnd {signal.WindowEnd}");
        }

        return signal;
    }
}
