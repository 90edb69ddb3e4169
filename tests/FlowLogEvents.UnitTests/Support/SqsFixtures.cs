using System.Text.Json;
using FlowLogEvents.Exports;

namespace FlowLogEvents.Tests.Support;

/// <summary>Real-shaped Lambda SQS FIFO events under Fixtures/sqs (times relative to 2026-11-26T15:00:00Z).</summary>
internal static class SqsFixtures
{
    public const string OneGroupThreeRecords = "one-group-three-records.json";
    public const string ThreeGroupsFiveRecords = "three-groups-five-records.json";
    public const string MalformedBody = "malformed-body.json";
    public const string OneGroupOneRecord = "one-group-one-record.json";
    public const string ContinuationRecord = "continuation-record.json";
    public const string NotSqsEvent = "not-sqs-event.json";

    public const string Prod = "/aws/vpc/flow-logs/prod";
    public const string Staging = "/aws/vpc/flow-logs/staging";
    public const string Dev = "/aws/vpc/flow-logs/dev";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "sqs", name);

    public static Stream Open(string name) => File.OpenRead(PathOf(name));

    /// <summary>The Records[] of a fixture as the export function hands them to the batch processor.</summary>
    public static IReadOnlyList<QueueRecord> Records(string name) =>
        RawRecords(name).Select(r => new QueueRecord(r.GetProperty("messageId").GetString()!, r.GetProperty("body").GetString())).ToList();

    public static IReadOnlyList<string> MessageIds(string name) => Records(name).Select(r => r.MessageId).ToList();

    public static IReadOnlyList<JsonElement> RawRecords(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(PathOf(name)));
        return document.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.Clone()).ToList();
    }
}
