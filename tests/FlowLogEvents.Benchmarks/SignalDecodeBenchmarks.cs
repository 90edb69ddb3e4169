using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using FlowLogEvents.Signals;

namespace FlowLogEvents.Benchmarks;

/// <summary>
/// The signal function's decode against its floor (base64 + gunzip alone, the same pooled buffers)
/// and against the naive decoder most samples use (objects for every event).
/// </summary>
[MemoryDiagnoser]
public class SignalDecodeBenchmarks
{
    private byte[] _invocation = [];

    /// <summary>VPC flow log v2 records per delivery; 21,000 is the one near 1 MB compressed (see Payloads).</summary>
    [Params(10, 1_000, 10_000, Payloads.NearOneMegabyteEvents)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => _invocation = Payloads.Invocation(Events);

    [Benchmark(Baseline = true, Description = "floor: base64 + gunzip")]
    public int Floor()
    {
        var reader = new Utf8JsonReader(_invocation);
        while (reader.Read() && !(reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("data"u8)))
        {
        }

        reader.Read();
        var base64 = reader.ValueSpan;
        var compressed = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(base64.Length));
        byte[]? output = null;
        try
        {
            Base64.DecodeFromUtf8(base64, compressed, out _, out var written);

            // The best case for the floor: one buffer sized from the gzip trailer (ISIZE), no regrowth.
            output = ArrayPool<byte>.Shared.Rent((int)BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(written - 4, 4)) + 1);
            using var input = new MemoryStream(compressed, 0, written, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            var total = 0;
            int read;
            while ((read = gzip.Read(output, total, output.Length - total)) > 0)
            {
                total += read;
                if (total == output.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(output.Length * 2);
                    output.AsSpan().CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = bigger;
                }
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    [Benchmark(Description = "FlowLogEvents streaming decode")]
    public long Streaming() => SubscriptionPayload.Decode(_invocation).EventCount;

    [Benchmark(Description = "naive: objects for every event")]
    public long Naive()
    {
        using var envelope = JsonDocument.Parse(_invocation);
        var data = envelope.RootElement.GetProperty("awslogs").GetProperty("data").GetString()!;
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(data)), CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        var payload = JsonSerializer.Deserialize(text.ReadToEnd(), NaiveJsonContext.Default.NaivePayload)!;
        return payload.LogEvents.Max(e => e.Timestamp) - payload.LogEvents.Min(e => e.Timestamp) + payload.LogEvents.Count;
    }
}

public sealed class NaivePayload
{
    [JsonPropertyName("messageType")]
    public string? MessageType { get; set; }

    [JsonPropertyName("owner")]
    public string? Owner { get; set; }

    [JsonPropertyName("logGroup")]
    public string? LogGroup { get; set; }

    [JsonPropertyName("logStream")]
    public string? LogStream { get; set; }

    [JsonPropertyName("subscriptionFilters")]
    public List<string> SubscriptionFilters { get; set; } = [];

    [JsonPropertyName("logEvents")]
    public List<NaiveEvent> LogEvents { get; set; } = [];
}

public sealed class NaiveEvent
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

[JsonSerializable(typeof(NaivePayload))]
internal sealed partial class NaiveJsonContext : JsonSerializerContext;
