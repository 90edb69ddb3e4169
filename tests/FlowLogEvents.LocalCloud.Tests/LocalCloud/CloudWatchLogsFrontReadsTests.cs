using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FlowLogEvents.Local.LocalCloud;
using FlowLogEvents.Tests.Fakes;
using FlowLogEvents.Tests.Gateway;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>
/// The front answers the verification's reads itself over HTTP (a stand-in plays moto: it knows one log group and
/// accepts every PutLogEvents): StartQuery, GetQueryResults, StopQuery and FilterLogEvents, with the read lag and counts.
/// </summary>
public sealed class CloudWatchLogsFrontReadsTests : IAsyncLifetime, IDisposable
{
    private const string Group = "/vpc/a";
    private readonly UpstreamStandIn _moto = new() { Respond = r => Write(r, """{"logGroups":[{"logGroupName":"/vpc/a"}]}""") };
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T15:00:00Z", CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new();
    private CloudWatchLogsFront _front = null!;

    public async Task InitializeAsync() => _front = await CloudWatchLogsFront.StartAsync(_moto.Endpoint, _clock, ExportTaskTiming.Fixed(TimeSpan.Zero, TimeSpan.FromSeconds(1)));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _moto.Dispose();
    }

    private static void Write(HttpListenerResponse response, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = 200;
        response.ContentType = "application/x-amz-json-1.1";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(string operation, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _front.Endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328." + operation);
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await _http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task PutAsync(string stream, params (long Timestamp, string Message)[] events) =>
        await CallAsync("PutLogEvents", JsonSerializer.Serialize(new { logGroupName = Group, logStreamName = stream, logEvents = events.Select(e => new { timestamp = e.Timestamp, message = e.Message }) }));

    [Fact]
    public async Task StartQueryThenGetQueryResults_CountByStream_CompleteWithRowsAndStatisticsCounted()
    {
        await PutAsync("eni-a-all", (1_764_168_300_000, "r1"), (1_764_168_400_000, "r2"));
        await PutAsync("eni-b-all", (1_764_168_500_000, "r3"), (1_764_169_200_000, "after the window"));

        var (startStatus, started) = await CallAsync("StartQuery", """{"logGroupName":"/vpc/a","startTime":1764168300,"endTime":1764169200,"queryString":"filter toMillis(@timestamp) >= 1764168300000 and toMillis(@timestamp) <= 1764169199999 | stats count(*) as events by @logStream | limit 10000"}""");
        var queryId = started.GetProperty("queryId").GetString();
        var (_, scheduled) = await CallAsync("GetQueryResults", $$"""{"queryId":"{{queryId}}"}""");
        _clock.Advance(TimeSpan.FromSeconds(10));
        var (_, complete) = await CallAsync("GetQueryResults", $$"""{"queryId":"{{queryId}}"}""");

        Assert.Equal(HttpStatusCode.OK, startStatus);
        Assert.Equal("Scheduled", scheduled.GetProperty("status").GetString());
        Assert.Equal("Complete", complete.GetProperty("status").GetString());
        Assert.Equal(
            """[[{"field":"@logStream","value":"eni-a-all"},{"field":"events","value":"2"}],[{"field":"@logStream","value":"eni-b-all"},{"field":"events","value":"1"}]]""",
            complete.GetProperty("results").GetRawText());
        Assert.Equal((3.0, 4.0, 4.0 * 26 + 2 + 2 + 2 + 16), (complete.GetProperty("statistics").GetProperty("recordsMatched").GetDouble(), complete.GetProperty("statistics").GetProperty("recordsScanned").GetDouble(), complete.GetProperty("statistics").GetProperty("bytesScanned").GetDouble()));
        Assert.Equal((1L, 4L, 4L * 26 + 22, 2L), (_front.ReadStats.QueriesStarted, _front.ReadStats.QueryRecordsScanned, _front.ReadStats.QueryBytesScanned, _front.ReadStats.GetQueryResultsCalls));
    }

    [Fact]
    public async Task StartQuery_UnknownLogGroupOrMalformedQuery_AwsErrors()
    {
        var (unknownStatus, unknown) = await CallAsync("StartQuery", """{"logGroupName":"/vpc/missing","startTime":1,"endTime":2,"queryString":"stats count(*)"}""");
        var (malformedStatus, malformed) = await CallAsync("StartQuery", """{"logGroupName":"/vpc/a","startTime":1,"endTime":2,"queryString":"stats avg(bytes)"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ResourceNotFoundException"), (unknownStatus, unknown.GetProperty("__type").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedQueryException"), (malformedStatus, malformed.GetProperty("__type").GetString()));
    }

    [Fact]
    public async Task StopQuery_ScheduledQuery_SuccessAndCancelled()
    {
        var (_, started) = await CallAsync("StartQuery", """{"logGroupName":"/vpc/a","startTime":1,"endTime":2,"queryString":"stats count(*)"}""");
        var body = $$"""{"queryId":"{{started.GetProperty("queryId").GetString()}}"}""";

        var (_, stopped) = await CallAsync("StopQuery", body);
        var (_, results) = await CallAsync("GetQueryResults", body);

        Assert.True(stopped.GetProperty("success").GetBoolean());
        Assert.Equal("Cancelled", results.GetProperty("status").GetString());
    }

    [Fact]
    public async Task FilterLogEvents_WithAReadLag_OnlyVisibleEventsAndBytesCounted()
    {
        _front.ReadLag = AvailabilityLag.ForReads(TimeSpan.FromMinutes(2));
        await PutAsync("eni-a-all", Enumerable.Range(0, 40).Select(i => (1_000L + i, "m" + i)).ToArray());
        var visibleNow = _front.IngestedEvents(Group).Count(e => e.VisibleAt <= _clock.NowMillis);

        var (_, now) = await CallAsync("FilterLogEvents", """{"logGroupName":"/vpc/a","startTime":1000,"endTime":2000}""");
        _clock.Advance(TimeSpan.FromMinutes(2));
        var (status, later) = await CallAsync("FilterLogEvents", """{"logGroupName":"/vpc/a","logStreamNames":["eni-a-all"],"startTime":1000,"endTime":2000}""");

        Assert.Equal(visibleNow, now.GetProperty("events").GetArrayLength());
        Assert.Equal((HttpStatusCode.OK, 40), (status, later.GetProperty("events").GetArrayLength()));
        var first = later.GetProperty("events")[0];
        Assert.Equal(("eni-a-all", 1_000L, "m0", _clock.NowMillis - 120_000), (first.GetProperty("logStreamName").GetString(), first.GetProperty("timestamp").GetInt64(), first.GetProperty("message").GetString(), first.GetProperty("ingestionTime").GetInt64()));
        Assert.False(later.TryGetProperty("nextToken", out _));
        Assert.Equal((2L, 40L + visibleNow), (_front.ReadStats.FilterLogEventsRequests, _front.ReadStats.FilterLogEventsEventsReturned));
    }

    [Fact]
    public async Task FilterLogEvents_TheProductsClientPagingThroughTheFront_ReadsEveryEventOnce()
    {
        using var client = new FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsClient(
            new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new FlowLogEvents.Aws.CloudWatchLogs.CloudWatchLogsConfig { ServiceURL = _front.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await PutAsync("eni-a-all", Enumerable.Range(0, 5).Select(i => (1_000L + i, "m" + i)).ToArray());
        var request = new FlowLogEvents.Aws.CloudWatchLogs.FilterLogEventsRequest { LogGroupName = Group, LogStreamNames = ["eni-a-all"], StartTime = 1_000, EndTime = 1_004, Limit = 2 };

        var messages = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await client.FilterLogEventsAsync(request with { NextToken = token }, CancellationToken.None);
            messages.AddRange(page.Events.Select(e => e.Message));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], messages);
    }
}
