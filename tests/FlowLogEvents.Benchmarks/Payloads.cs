using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Benchmarks;

/// <summary>Realistic CloudWatch Logs subscription deliveries of VPC flow log records (default v2 format).</summary>
public static class Payloads
{
    /// <summary>
    /// 10,000 v2 records compress to about 480 KB (random addresses, ports and 56-digit ids: worse
    /// than real traffic of one interface); this many reach about 1 MB compressed, the most one
    /// subscription delivery carries.
    /// </summary>
    public const int NearOneMegabyteEvents = 21_000;

    /// <summary>Sizes of one payload: invocation event, gzip, decompressed JSON.</summary>
    public static (int Invocation, int Compressed, int Decompressed) Sizes(int events)
    {
        var invocation = Invocation(events);
        using var document = JsonDocument.Parse(invocation);
        var compressed = Convert.FromBase64String(document.RootElement.GetProperty("awslogs").GetProperty("data").GetString()!);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        gzip.CopyTo(decompressed);
        return (invocation.Length, compressed.Length, (int)decompressed.Length);
    }

    /// <summary>The invocation event bytes: {"awslogs":{"data":"&lt;base64 gzip&gt;"}}.</summary>
    public static byte[] Invocation(int events, int seed = 42)
    {
        var random = new Random(seed);
        var start = 1764167400L;
        var json = new StringBuilder(events * 220);
        json.Append("""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/vpc/flow-logs","logStream":"eni-0a1b2c3d4e5f60718-all","subscriptionFilters":["flowlogevents"],"logEvents":[""");
        for (var i = 0; i < events; i++)
        {
            var t = start + random.Next(0, 600);
            var message = string.Create(CultureInfo.InvariantCulture, $"2 123456789012 eni-0a1b2c3d4e5f60718 10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)} 172.31.{random.Next(256)}.{random.Next(256)} {random.Next(1024, 65535)} {(random.Next(4) == 0 ? 53 : 443)} {(random.Next(5) == 0 ? 17 : 6)} {random.Next(1, 5000)} {random.Next(40, 9_000_000)} {t} {t + 59} {(random.Next(10) == 0 ? "REJECT" : "ACCEPT")} OK");
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append("{\"id\":\"")
                .Append(string.Create(CultureInfo.InvariantCulture, $"3{7000000000000000000L + i}{random.NextInt64(100000000000000000L, 999999999999999999L)}{random.Next(10000000, 99999999)}"))
                .Append("\",\"timestamp\":").Append(t * 1000)
                .Append(",\"message\":").Append(JsonSerializer.Serialize(message))
                .Append('}');
        }

        json.Append("]}");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json.ToString()));
        }

        return Encoding.UTF8.GetBytes("{\"awslogs\":{\"data\":\"" + Convert.ToBase64String(compressed.ToArray()) + "\"}}");
    }
}
