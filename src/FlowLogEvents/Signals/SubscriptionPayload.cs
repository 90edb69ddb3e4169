using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text.Json;

namespace FlowLogEvents.Signals;

/// <summary>
/// Decodes <c>{"awslogs":{"data":"&lt;base64 gzip JSON&gt;"}}</c> in a streaming pass: base64 and
/// gzip into pooled buffers, then one forward scan with <see cref="Utf8JsonReader"/> that counts
/// events and tracks their smallest and largest timestamp without building an object per event.
/// </summary>
public static class SubscriptionPayload
{
    public const string DataMessage = "DATA_MESSAGE";
    public const string ControlMessage = "CONTROL_MESSAGE";

    /// <summary>Decompressed size cap against gzip bombs. CloudWatch delivers at most ~1 MB compressed.</summary>
    public const int DefaultMaxDecompressedBytes = 16 * 1024 * 1024;

    private const int MaxEventBytes = 8 * 1024 * 1024;

    /// <summary>Bytes that end the plain run of a JSON string: quote, backslash, control characters.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <param name="onTimeFrom">
    /// Events stamped at or after this instant (epoch ms) are on time: the summary's
    /// <see cref="SubscriptionSummary.FirstOnTimeEventTime"/> is the oldest of them (the default counts every event).
    /// </param>
    public static async Task<SubscriptionSummary> DecodeAsync(Stream invocation, int maxDecompressedBytes = DefaultMaxDecompressedBytes, long onTimeFrom = long.MinValue, CancellationToken ct = default)
    {
        var raw = await ReadAllPooledAsync(invocation, MaxEventBytes, ct).ConfigureAwait(false);
        try
        {
            return Decode(raw.AsSpan(0, raw.Length), maxDecompressedBytes, onTimeFrom);
        }
        finally
        {
            raw.Return();
        }
    }

    /// <param name="onTimeFrom">As in <see cref="DecodeAsync"/>.</param>
    public static SubscriptionSummary Decode(ReadOnlySpan<byte> invocationJson, int maxDecompressedBytes = DefaultMaxDecompressedBytes, long onTimeFrom = long.MinValue)
    {
        var compressed = DecodeBase64Data(invocationJson);
        try
        {
            var json = Gunzip(compressed, maxDecompressedBytes);
            try
            {
                return Scan(json.AsSpan(0, json.Length), onTimeFrom);
            }
            catch (PayloadFormatException ex) when (TruncatedGzip(compressed, json.Length) is { } truncated)
            {
                // GZipStream ends quietly at a cut stream; say so instead of only "not valid JSON".
                throw new PayloadFormatException($"{truncated}: {ex.Message}", ex);
            }
            finally
            {
                json.Return();
            }
        }
        finally
        {
            compressed.Return();
        }
    }

    private static PooledBytes DecodeBase64Data(ReadOnlySpan<byte> invocationJson)
    {
        var reader = new Utf8JsonReader(invocationJson);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new PayloadFormatException("invocation event is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("awslogs"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new PayloadFormatException("awslogs is not an object");
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("data"u8))
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }

                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new PayloadFormatException("awslogs.data is not a string");
                    }

                    return Base64Decode(ref reader);
                }

                throw new PayloadFormatException("awslogs.data is missing");
            }
        }
        catch (JsonException ex)
        {
            throw new PayloadFormatException($"invocation event is not valid JSON: {ex.Message}", ex);
        }

        throw new PayloadFormatException("awslogs is missing: not a CloudWatch Logs subscription event");
    }

    private static PooledBytes Base64Decode(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> text;
        byte[]? unescaped = null;
        if (reader.ValueIsEscaped)
        {
            // JSON may escape '/' as "\/"; unescape into a pooled copy.
            unescaped = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
            var written = reader.CopyString(unescaped);
            text = unescaped.AsSpan(0, written);
        }
        else
        {
            text = reader.ValueSpan;
        }

        try
        {
            if (text.IsEmpty)
            {
                throw new PayloadFormatException("awslogs.data is empty");
            }

            var output = PooledBytes.Rent(Base64.GetMaxDecodedFromUtf8Length(text.Length));
            var status = Base64.DecodeFromUtf8(text, output.Buffer, out _, out var written);
            if (status != OperationStatus.Done)
            {
                output.Return();
                throw new PayloadFormatException($"awslogs.data is not valid base64 ({status})");
            }

            output.Length = written;
            return output;
        }
        finally
        {
            if (unescaped is not null)
            {
                ArrayPool<byte>.Shared.Return(unescaped);
            }
        }
    }

    private static PooledBytes Gunzip(PooledBytes compressed, int maxBytes)
    {
        if (compressed.Length < 2 || compressed.Buffer[0] != 0x1f || compressed.Buffer[1] != 0x8b)
        {
            throw new PayloadFormatException("awslogs.data is not gzip (no gzip header)");
        }

        var output = PooledBytes.Rent(InitialOutputSize(compressed.Buffer.AsSpan(0, compressed.Length), maxBytes));
        try
        {
            using var input = new MemoryStream(compressed.Buffer, 0, compressed.Length, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(output.Buffer, output.Length, output.Buffer.Length - output.Length)) > 0)
            {
                output.Length += read;
                if (output.Length > maxBytes)
                {
                    throw new PayloadFormatException($"decompressed payload exceeds the {maxBytes} byte cap (gzip bomb?)");
                }

                if (output.Length == output.Buffer.Length)
                {
                    output.Grow(Math.Min(output.Buffer.Length * 2, maxBytes + 1));
                }
            }

            return output;
        }
        catch (InvalidDataException ex)
        {
            output.Return();
            throw new PayloadFormatException($"awslogs.data is not valid gzip: {ex.Message}", ex);
        }
        catch
        {
            output.Return();
            throw;
        }
    }

    /// <summary>
    /// The gzip trailer's ISIZE (last 4 bytes, little-endian) is the uncompressed size modulo 2^32
    /// of the last member: one more byte than that lets the read loop see the end without growing
    /// the buffer (no regrowth copies). A trailer that is absent, zero, or beyond the cap is only a
    /// hint: the loop still grows the buffer and enforces the cap on what it actually inflates.
    /// </summary>
    private static int InitialOutputSize(ReadOnlySpan<byte> compressed, int maxBytes)
    {
        var guess = Math.Max(compressed.Length * 8, 4096);
        if (compressed.Length >= 18)
        {
            var isize = BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]);
            if (isize > 0 && isize <= (uint)maxBytes)
            {
                guess = (int)isize + 1;
            }
        }

        return Math.Min(guess, maxBytes + 1);
    }

    /// <summary>
    /// A gzip member ends with ISIZE, the uncompressed length mod 2^32. When the decompressed length
    /// disagrees the stream was cut short (or is several members, which CloudWatch never sends). Only
    /// used to explain a payload that failed anyway.
    /// </summary>
    private static string? TruncatedGzip(PooledBytes compressed, int decompressedLength)
    {
        if (compressed.Length < 18)
        {
            return "awslogs.data is a truncated gzip stream";
        }

        var isize = BinaryPrimitives.ReadUInt32LittleEndian(compressed.Buffer.AsSpan(compressed.Length - 4, 4));
        return isize == (uint)decompressedLength
            ? null
            : $"awslogs.data is a truncated gzip stream ({decompressedLength} bytes decompressed, the trailer says {isize})";
    }

    /// <summary>
    /// Scans the decompressed document. The fast mode hands the <c>logEvents</c> array to
    /// <see cref="TryScanEvents"/>; if anything in the document is not exactly as it expects, or if
    /// the document turns out to be malformed, the scan starts again with <see cref="Utf8JsonReader"/>
    /// alone, so results and error messages are those of the full reader.
    /// </summary>
    private static SubscriptionSummary Scan(ReadOnlySpan<byte> json, long onTimeFrom)
    {
        try
        {
            if (Scan(json, onTimeFrom, fastEvents: true) is { } summary)
            {
                return summary;
            }
        }
        catch (PayloadFormatException)
        {
            // Report what the full reader reports.
        }

        return Scan(json, onTimeFrom, fastEvents: false)!;
    }

    /// <summary>Returns null when the fast mode met something it does not handle.</summary>
    private static SubscriptionSummary? Scan(ReadOnlySpan<byte> json, long onTimeFrom, bool fastEvents)
    {
        string? messageType = null, owner = null, logGroup = null, logStream = null;
        long count = 0, first = long.MaxValue, last = long.MinValue, firstOnTime = long.MaxValue;
        var sawEvents = false;
        var consumedBefore = 0;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new PayloadFormatException("decompressed payload is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("messageType"u8))
                {
                    messageType = ReadString(ref reader, "messageType");
                }
                else if (reader.ValueTextEquals("owner"u8))
                {
                    owner = ReadString(ref reader, "owner");
                }
                else if (reader.ValueTextEquals("logGroup"u8))
                {
                    logGroup = ReadString(ref reader, "logGroup");
                }
                else if (reader.ValueTextEquals("logStream"u8))
                {
                    logStream = ReadString(ref reader, "logStream");
                }
                else if (reader.ValueTextEquals("logEvents"u8))
                {
                    sawEvents = true;
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new PayloadFormatException("logEvents is not an array");
                    }

                    if (fastEvents)
                    {
                        // Resume after the array with the reader's state at '[': to the reader the
                        // array then looks empty, and the rest of the document is read as usual.
                        var start = consumedBefore + (int)reader.BytesConsumed;
                        if (count != 0 || !TryScanEvents(json, start, onTimeFrom, out var end, out count, out first, out last, out firstOnTime))
                        {
                            return null;
                        }

                        consumedBefore = end;
                        reader = new Utf8JsonReader(json[end..], isFinalBlock: true, reader.CurrentState);
                        reader.Read();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var timestamp = ScanEvent(ref reader, count);
                        count++;
                        first = Math.Min(first, timestamp);
                        last = Math.Max(last, timestamp);
                        firstOnTime = timestamp >= onTimeFrom ? Math.Min(firstOnTime, timestamp) : firstOnTime;
                    }

                    if (reader.TokenType != JsonTokenType.EndArray)
                    {
                        throw new PayloadFormatException($"logEvents[{count}] is not an object");
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            throw new PayloadFormatException($"decompressed payload is not valid JSON: {ex.Message}", ex);
        }

        if (messageType is null)
        {
            throw new PayloadFormatException("messageType is missing");
        }

        if (messageType == ControlMessage)
        {
            return new SubscriptionSummary(messageType, owner, logGroup, logStream, 0, 0, 0, json.Length);
        }

        if (messageType != DataMessage)
        {
            throw new PayloadFormatException($"messageType '{messageType}' is neither {DataMessage} nor {ControlMessage}");
        }

        if (string.IsNullOrEmpty(logGroup))
        {
            throw new PayloadFormatException("logGroup is missing");
        }

        if (string.IsNullOrEmpty(logStream))
        {
            throw new PayloadFormatException("logStream is missing");
        }

        if (!sawEvents)
        {
            throw new PayloadFormatException("logEvents is missing");
        }

        return count == 0
            ? new SubscriptionSummary(messageType, owner, logGroup, logStream, 0, 0, 0, json.Length)
            : new SubscriptionSummary(messageType, owner, logGroup, logStream, count, first, last, json.Length, firstOnTime == long.MaxValue ? null : firstOnTime);
    }

    /// <summary>
    /// Scans a <c>logEvents</c> array in CloudWatch Logs' own serialization, without tokenizing it:
    /// <c>[{"id":"…","timestamp":&lt;integer&gt;,"message":"…"},…]</c>, no whitespace, members in that
    /// order. Strings are checked as strictly as <see cref="Utf8JsonReader"/> checks them (no raw
    /// control characters, only valid escapes), numbers as strictly as JSON plus
    /// <see cref="Utf8JsonReader.TryGetInt64(out long)"/>. Returns false at the first byte that
    /// differs from that shape (other members such as <c>extractedFields</c>, whitespace, another
    /// order, a malformed document): the caller then scans with the reader. Inside a JSON string a
    /// quote is always escaped, so the delimiters it matches cannot occur inside a value.
    /// </summary>
    /// <param name="json">The whole document.</param>
    /// <param name="start">The index just after the array's '['.</param>
    /// <param name="end">The index of the array's ']'.</param>
    private static bool TryScanEvents(ReadOnlySpan<byte> json, int start, long onTimeFrom, out int end, out long count, out long first, out long last, out long firstOnTime)
    {
        end = 0;
        count = 0;
        first = long.MaxValue;
        last = long.MinValue;
        firstOnTime = long.MaxValue;
        var i = start;
        if (i < json.Length && json[i] == (byte)']')
        {
            end = i;
            first = 0;
            last = 0;
            return true;
        }

        while (true)
        {
            if (!json[i..].StartsWith("{\"id\":\""u8))
            {
                return false;
            }

            i = SkipString(json, i + 7);
            if (i < 0 || !json[i..].StartsWith(",\"timestamp\":"u8))
            {
                return false;
            }

            i = ParseInt64(json, i + 13, out var timestamp);
            if (i < 0 || !json[i..].StartsWith(",\"message\":\""u8))
            {
                return false;
            }

            i = SkipString(json, i + 12);
            if (i < 0 || i + 1 >= json.Length || json[i] != (byte)'}')
            {
                return false;
            }

            count++;
            first = Math.Min(first, timestamp);
            last = Math.Max(last, timestamp);
            firstOnTime = timestamp >= onTimeFrom ? Math.Min(firstOnTime, timestamp) : firstOnTime;
            switch (json[i + 1])
            {
                case (byte)',':
                    i += 2;
                    continue;
                case (byte)']':
                    end = i + 1;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>From just after an opening quote to just after the closing one; -1 if not a valid JSON string.</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int i)
    {
        while (true)
        {
            var stop = i < json.Length ? json[i..].IndexOfAny(StringStops) : -1;
            if (stop < 0)
            {
                return -1;
            }

            i += stop;
            switch (json[i])
            {
                case (byte)'"':
                    return i + 1;
                case (byte)'\\':
                    if (i + 1 >= json.Length)
                    {
                        return -1;
                    }

                    switch (json[i + 1])
                    {
                        case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                            i += 2;
                            break;
                        case (byte)'u':
                            if (i + 6 > json.Length || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]) || !IsHex(json[i + 5]))
                            {
                                return -1;
                            }

                            i += 6;
                            break;
                        default:
                            return -1;
                    }

                    break;
                default:
                    // A raw control character: invalid JSON.
                    return -1;
            }
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>A JSON integer (<c>-?(0|[1-9][0-9]*)</c>) of at most 18 digits, so it cannot overflow; -1 otherwise.</summary>
    private static int ParseInt64(ReadOnlySpan<byte> json, int i, out long value)
    {
        value = 0;
        var negative = i < json.Length && json[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var digitsStart = i;
        while (i < json.Length && (uint)(json[i] - '0') <= 9)
        {
            value = (value * 10) + (json[i] - '0');
            i++;
        }

        var digits = i - digitsStart;
        if (digits == 0 || digits > 18 || (digits > 1 && json[digitsStart] == (byte)'0'))
        {
            return -1;
        }

        if (negative)
        {
            value = -value;
        }

        return i;
    }

    private static long ScanEvent(ref Utf8JsonReader reader, long index)
    {
        long? timestamp = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                {
                    throw new PayloadFormatException($"logEvents[{index}].timestamp is not an integer");
                }

                timestamp = value;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return timestamp ?? throw new PayloadFormatException($"logEvents[{index}].timestamp is missing");
    }

    private static string ReadString(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new PayloadFormatException($"{name} is not a string");
        }

        return reader.GetString()!;
    }

    private static async Task<PooledBytes> ReadAllPooledAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        var bytes = PooledBytes.Rent(stream.CanSeek ? (int)Math.Min(Math.Max(stream.Length - stream.Position, 1), maxBytes + 1) : 64 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(bytes.Buffer.AsMemory(bytes.Length), ct).ConfigureAwait(false)) > 0)
            {
                bytes.Length += read;
                if (bytes.Length > maxBytes)
                {
                    throw new PayloadFormatException($"invocation event exceeds {maxBytes} bytes");
                }

                if (bytes.Length == bytes.Buffer.Length)
                {
                    bytes.Grow(Math.Min(bytes.Buffer.Length * 2, maxBytes + 1));
                }
            }

            return bytes;
        }
        catch
        {
            bytes.Return();
            throw;
        }
    }

    /// <summary>A rented array and how much of it is used.</summary>
    private sealed class PooledBytes
    {
        private PooledBytes(byte[] buffer) => Buffer = buffer;

        public byte[] Buffer { get; private set; }

        public int Length { get; set; }

        public static PooledBytes Rent(int size) => new(ArrayPool<byte>.Shared.Rent(Math.Max(size, 16)));

        public Span<byte> AsSpan(int start, int length) => Buffer.AsSpan(start, length);

        public void Grow(int size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            Buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = bigger;
        }

        public void Return()
        {
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = [];
            Length = 0;
        }
    }
}
