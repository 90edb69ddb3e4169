using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FlowLogEvents.Tests.Fixtures;

/// <summary>Reads fixture files copied to the test output, and builds subscription payloads.</summary>
public static class FixtureFiles
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static MemoryStream Stream(string relative) => new(Bytes(relative), writable: false);

    /// <summary>Wraps a decoded subscription JSON document the way CloudWatch Logs delivers it.</summary>
    public static MemoryStream Subscription(string decodedJson) => Awslogs(Gzip(Encoding.UTF8.GetBytes(decodedJson)));

    public static MemoryStream Awslogs(byte[] compressed) =>
        AwslogsData(Convert.ToBase64String(compressed));

    public static MemoryStream AwslogsData(string data) =>
        new(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, Dictionary<string, string>> { ["awslogs"] = new() { ["data"] = data } }), writable: false);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }
}
