using System.Text;
using System.Text.Json;
using FlowLogEvents.Observability;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Where the functions' telemetry goes in a local run: a JSON-lines file (never the console, which
/// belongs to the live view), with every decision line also counted in <see cref="RunCounters"/>.
/// Each execution environment gets its own <see cref="Stream"/> from <see cref="OpenStream"/>; the
/// streams pass whole lines to this log, which serializes writers.
/// </summary>
public sealed class FunctionLog : IDisposable
{
    private readonly Stream _file;
    private readonly RunCounters _counters;
    private readonly Lock _gate = new();

    public FunctionLog(string path, RunCounters counters)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _counters = counters;
    }

    public string Path { get; }

    /// <summary>A sink for one <see cref="Observability.Telemetry"/>; lines are tagged with <paramref name="instance"/>.</summary>
    public Stream OpenStream(string instance) => new LineStream(this, instance);

    /// <summary>
    /// One line a function process wrote (stdout or stderr, without its newline): a JSON object is the
    /// function's telemetry, as from <see cref="OpenStream"/>; anything else (the runtime's own crash
    /// output) is kept verbatim as <c>{"instance":..., "output":...}</c> and counted as no decision.
    /// </summary>
    public void WriteLine(string instance, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.StartsWith('{'))
        {
            OnLine(Encoding.UTF8.GetBytes(line), instance);
            return;
        }

        var text = "\"" + JsonEncodedText.Encode(line).ToString() + "\"";
        lock (_gate)
        {
            if (_file.CanWrite)
            {
                _file.Write(Encoding.UTF8.GetBytes($"{{\"instance\":\"{instance}\",\"output\":{text}}}\n"));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private void OnLine(ReadOnlySpan<byte> line, string instance)
    {
        string? evt = null;
        string? reason = null;
        string? logGroup = null;
        long? windowStart = null;
        var final = false;
        long? lateMs = null;
        var reader = new Utf8JsonReader(line);
        try
        {
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when depth == 1:
                        if (reader.ValueTextEquals("event"u8) && reader.Read())
                        {
                            evt = reader.GetString();
                        }
                        else if (reader.ValueTextEquals("reason"u8) && reader.Read())
                        {
                            reason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        }
                        else if (reader.ValueTextEquals("logGroup"u8) && reader.Read())
                        {
                            logGroup = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        }
                        else if (reader.ValueTextEquals("final"u8) && reader.Read())
                        {
                            final = reader.TokenType == JsonTokenType.True;
                        }
                        else if (reader.ValueTextEquals("lateMs"u8) && reader.Read())
                        {
                            lateMs = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var late) ? late : null;
                        }
                        else if (reader.ValueTextEquals("windowStart"u8) && reader.Read())
                        {
                            windowStart = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var w) ? w : null;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            evt = "(unparsable line)";
        }

        if (evt is not null)
        {
            _counters.TelemetryEvent(evt, reason);
            if (evt == LogEvents.WindowVerified && lateMs is { } checkLate)
            {
                _counters.VerificationCheck(final, checkLate);
            }

            if (evt is LogEvents.SignalSent or LogEvents.SignalSuppressed && logGroup is not null && windowStart is { } window)
            {
                _counters.SignalDecision(instance, logGroup, window, sent: evt == LogEvents.SignalSent);
            }
        }

        lock (_gate)
        {
            if (!_file.CanWrite)
            {
                return;
            }

            // {"instance":"signal-1", ...the function's own fields}
            _file.Write(Encoding.UTF8.GetBytes($"{{\"instance\":\"{instance}\","));
            _file.Write(line.Length > 1 && line[0] == (byte)'{' ? line[1..] : line);
            _file.WriteByte((byte)'\n');
        }
    }

    private sealed class LineStream(FunctionLog log, string instance) : Stream
    {
        private readonly MemoryStream _pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_pending)
            {
                while (buffer.Length > 0)
                {
                    var newline = buffer.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        _pending.Write(buffer);
                        return;
                    }

                    _pending.Write(buffer[..newline]);
                    log.OnLine(_pending.GetBuffer().AsSpan(0, (int)_pending.Length), instance);
                    _pending.SetLength(0);
                    buffer = buffer[(newline + 1)..];
                }
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _pending.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
