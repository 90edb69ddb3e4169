using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text.Json;

namespace FlowLogEvents.Signals;

/// <summary>What the signal function needs from one CloudWatch Logs subscription delivery.</summary>
public sealed record SubscriptionSummary(
    string MessageType,
    string? Owner,
    string? LogGroup,
    string? LogStream,
    long EventCount,
    long FirstEventTime,
    long LastEventTime,
    long DecompressedBytes)
{
    public bool IsControlMessage => MessageType == SubscriptionPayload.ControlMessage;
}

/// <summary>A subscription payload that cannot be decoded; a retry cannot fix it.</summary>
public sealed class PayloadFormatException(string message, Exception? inner = null) : Exception(message, inner);

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

    public static async Task<SubscriptionSummary> DecodeAsync(Stream invocation, int maxDecompressedBytes = DefaultMaxDecompressedBytes, CancellationToken ct = default)
    {
        var raw = await ReadAllPooledAsync(invocation, MaxEventBytes, ct).ConfigureAwait(false);
        try
        {
            return Decode(raw.AsSpan(0, raw.Length), maxDecompressedBytes);
        }
        finally
        {
            raw.Return();
        }
    }

    public static SubscriptionSummary Decode(ReadOnlySpan<byte> invocationJson, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        var compressed = DecodeBase64Data(invocationJson);
        try
        {
            var json = Gunzip(compressed, maxDecompressedBytes);
            try
            {
                return Scan(json.AsSpan(0, json.Length));
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

        var output = PooledBytes.Rent(Math.Min(Math.Max(compressed.Length * 8, 4096), maxBytes + 1));
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

    private static SubscriptionSummary Scan(ReadOnlySpan<byte> json)
    {
        string? messageType = null, owner = null, logGroup = null, logStream = null;
        long count = 0, first = long.MaxValue, last = long.MinValue;
        var sawEvents = false;
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

                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var timestamp = ScanEvent(ref reader, count);
                        count++;
                        first = Math.Min(first, timestamp);
                        last = Math.Max(last, timestamp);
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
            : new SubscriptionSummary(messageType, owner, logGroup, logStream, count, first, last, json.Length);
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
