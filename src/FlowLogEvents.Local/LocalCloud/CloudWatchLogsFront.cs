using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// An HTTP front on 127.0.0.1 between CloudWatch Logs clients and moto_server that adds the export-task semantics moto
/// lacks. CreateExportTask, DescribeExportTasks and CancelExportTask are answered here (state machine in
/// <see cref="ExportTaskBook"/>, on the shared clock); every other request is relayed to moto unchanged. PutLogEvents
/// answered 200 by moto is recorded with its ingestion instant (<see cref="IngestionLog"/>) so that an export holds
/// exactly the events of its range available at its creation (<see cref="ExportAvailabilityLag"/>). Output goes to
/// moto's S3 when a task's running time is over. The reads a verification makes are answered here from the same log,
/// each event visible only after its read lag (<see cref="ReadLag"/>): Logs Insights' StartQuery, GetQueryResults and
/// StopQuery (<see cref="InsightsQueryBook"/>) and FilterLogEvents (<see cref="FilterLogEventsPager"/>), counted in
/// <see cref="ReadStats"/>.
/// PutSubscriptionFilter, DeleteSubscriptionFilter and DescribeSubscriptionFilters are answered here too, with the
/// per-log-group limit (<see cref="SubscriptionFilterBook"/>): moto would want its own Lambda behind a destination.
/// </summary>
/// <remarks>
/// The server is <see cref="HttpListener"/>: it is in the BCL (no ASP.NET Core framework reference for a local tool),
/// its managed implementation serves each request on its own task, and the front needs nothing beyond raw
/// method/path/headers/body relaying.
/// </remarks>
public sealed class CloudWatchLogsFront : IAsyncDisposable
{
    private static readonly BasicAWSCredentials MotoCredentials = new("test", "test");
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(20);

    // Headers that belong to one hop, or that HttpListener / HttpClient set themselves.
    private static readonly HashSet<string> NotRelayed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade",
        "Server", "Date", "WWW-Authenticate",
    };

    private readonly HttpListener _listener;
    private readonly Uri _moto;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly IngestionLog _ingestion;
    private readonly ExportTaskBook _book;
    private readonly InsightsQueryBook _queries;
    private readonly FilterLogEventsPager _pager;
    private readonly SubscriptionFilterBook _subscriptions = new();
    private readonly SemaphoreSlim _completing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, AmazonS3Client> _s3 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CloudWatchLogsClient> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly ConcurrentDictionary<string, string> _taskRegions = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private (string LogGroup, long Until)? _poisoned;
    private Task _accepting = Task.CompletedTask;
    private Task _ticking = Task.CompletedTask;

    private CloudWatchLogsFront(HttpListener listener, Uri endpoint, Uri moto, TimeProvider clock, ExportTaskTiming timing)
    {
        _clock = clock;
        _listener = listener;
        Endpoint = endpoint;
        _moto = moto;
        _ingestion = new IngestionLog(clock);
        _book = new ExportTaskBook(clock, timing, Stats, _ingestion);
        _queries = new InsightsQueryBook(clock, ReadStats, _ingestion);
        _pager = new FilterLogEventsPager(clock, _ingestion);
    }

    /// <summary>Point CloudWatchLogsConfig.ServiceURL (or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) here.</summary>
    public Uri Endpoint { get; }

    public ExportTaskStats Stats { get; } = new();

    /// <summary>Logs Insights queries and FilterLogEvents requests answered, with the bytes they scanned and returned.</summary>
    public VerificationReadStats ReadStats { get; } = new();

    /// <summary>How long after ingestion an event becomes available to export tasks; set before events are ingested (applies to later ones).</summary>
    public AvailabilityLag ExportAvailabilityLag
    {
        get => _ingestion.ExportLag;
        set => _ingestion.ExportLag = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>How long after ingestion an event becomes visible to FilterLogEvents and Logs Insights; set before events are ingested.</summary>
    public AvailabilityLag ReadLag
    {
        get => _ingestion.ReadLag;
        set => _ingestion.ReadLag = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Events per output file before the next file (000001.gz, ...) of a stream starts.</summary>
    public int MaxLinesPerFile { get; set; } = ExportOutput.DefaultMaxLinesPerFile;

    /// <summary>Every task the front knows (ours and slot holders), newest first, with its status now.</summary>
    public IReadOnlyList<ExportTaskView> Tasks => _book.List();

    public static async Task<CloudWatchLogsFront> StartAsync(Uri moto, TimeProvider clock, ExportTaskTiming timing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(moto);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(timing);
        ct.ThrowIfCancellationRequested();
        var (listener, port) = LoopbackListener.Start();
        var front = new CloudWatchLogsFront(listener, new Uri($"http://127.0.0.1:{port}"), moto, clock, timing);
        front._accepting = Task.Run(front.AcceptLoopAsync, CancellationToken.None);
        front._ticking = Task.Run(front.TickLoopAsync, CancellationToken.None);
        await Task.Yield();
        return front;
    }

    /// <summary>Fault: a task of another tool takes the account's one slot for <paramref name="simulated"/> time (fails if the slot is busy).</summary>
    public ExportTaskView HoldSlot(TimeSpan simulated) => _book.HoldSlot(simulated);

    /// <summary>Fault: the next <paramref name="count"/> tasks end <paramref name="statusCode"/> (FAILED or CANCELLED) with no output.</summary>
    public void FailNextTasks(int count, string statusCode) => _book.FailNextTasks(count, statusCode);

    /// <summary>The account already holds <paramref name="count"/> COMPLETED tasks of another tool, one a minute before now (see <see cref="ExportTaskBook.SeedHistory"/>).</summary>
    public void SeedTaskHistory(int count) => _book.SeedHistory(count, TimeSpan.FromMinutes(1));

    /// <summary>DescribeExportTasks does not show a new task until <paramref name="lag"/> after its creation (see <see cref="ExportTaskBook.HideNewTasksFor"/>).</summary>
    public void HideNewTasksFor(TimeSpan lag) => _book.HideNewTasksFor(lag);

    /// <summary>
    /// Fault, a permanent error of one log group: until <paramref name="until"/>, DescribeExportTasks shows every task of
    /// <paramref name="logGroup"/> with <see cref="UnknownStatusCode"/>, a status code the product does not know (botocore's
    /// model lists PENDING, RUNNING, CANCELLED, COMPLETED, FAILED, PENDING_CANCEL; AWS may add codes).
    /// </summary>
    public void PoisonStatusOf(string logGroup, DateTimeOffset until) => _poisoned = (logGroup, until.ToUnixTimeMilliseconds());

    public const string UnknownStatusCode = "ARCHIVED";

    /// <summary>
    /// Fault, "too much data for one task": every later task whose range is longer than <paramref name="span"/> ends FAILED
    /// with no output, at the 24-hour timeout (or after <paramref name="failAfter"/>, to compress time); null turns it off.
    /// Independently of this, any task whose running time would pass 24 hours times out FAILED.
    /// </summary>
    public void FailTasksLongerThan(TimeSpan? span, TimeSpan? failAfter = null) => _book.FailTasksLongerThan(span, failAfter);

    /// <summary>The events the front saw ingested into a log group, with their ingestion instants.</summary>
    public IReadOnlyList<IngestedEvent> IngestedEvents(string logGroupName) => _ingestion.Events(logGroupName);

    /// <summary>Forgets tasks and ingested events (call after resetting moto; a reset relayed through the front does it too).</summary>
    public void Reset()
    {
        _book.Clear();
        _queries.Clear();
        _ingestion.Clear();
        _subscriptions.Clear();
    }

    /// <summary>Writes the output of every task whose running time is over and completes it (also done by a background loop and before each answer).</summary>
    public async Task CompleteDueTasksAsync(CancellationToken ct = default)
    {
        await _completing.WaitAsync(ct);
        try
        {
            foreach (var task in _book.TakeDue())
            {
                string? failure = null;
                try
                {
                    var s3 = S3(_taskRegions.TryRemove(task.TaskId, out var region) ? region : DefaultRegion);
                    foreach (var file in ExportOutput.Files(task.Spec.DestinationPrefix, task.TaskId, task.Events, MaxLinesPerFile))
                    {
                        await PutAsync(s3, task.Spec.Destination, file, ct);
                    }
                }
                catch (AmazonServiceException ex)
                {
                    failure = $"Export failed writing to s3://{task.Spec.Destination}: {ex.ErrorCode} {ex.Message}";
                }
                catch (HttpRequestException ex)
                {
                    failure = $"Export failed writing to s3://{task.Spec.Destination}: {ex.Message}";
                }

                if (failure is null)
                {
                    Stats.ObjectsWritten(task.Events, _clock.GetUtcNow().ToUnixTimeMilliseconds());
                }

                _book.Finish(task.TaskId, failure);
            }
        }
        finally
        {
            _completing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Close();
        await Task.WhenAll(_accepting, _ticking);
        await Task.WhenAll(_inFlight.Keys);
        foreach (var client in _s3.Values)
        {
            client.Dispose();
        }

        foreach (var client in _logs.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
        _completing.Dispose();
        _stop.Dispose();
    }

    // Output is written in the region the CreateExportTask request was signed for (moto keys its resources by region).
    private const string DefaultRegion = "us-east-1";

    private static async Task PutAsync(AmazonS3Client s3, string bucket, ExportObject file, CancellationToken ct)
    {
        using var content = new MemoryStream(file.Content);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = file.Key, InputStream = content, AutoCloseStream = false }, ct);
    }


    private AmazonS3Client S3(string region) => _s3.GetOrAdd(region, r => new AmazonS3Client(MotoCredentials, new AmazonS3Config
    {
        ServiceURL = _moto.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = r,
    }));

    private CloudWatchLogsClient Logs(string region) => _logs.GetOrAdd(region, r => new CloudWatchLogsClient(MotoCredentials, new CloudWatchLogsConfig
    {
        ServiceURL = _moto.ToString(),
        AuthenticationRegion = r,
    }));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var handling = Task.Run(() => HandleAsync(context), CancellationToken.None);
            _inFlight.TryAdd(handling, 0);
            _ = handling.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task TickLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TickInterval, _stop.Token);
                await CompleteDueTasksAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var body = await ReadBodyAsync(context.Request);
            var target = context.Request.Headers["X-Amz-Target"];
            var operation = target is not null && target.StartsWith(LogsWire.TargetPrefix, StringComparison.Ordinal) ? target[LogsWire.TargetPrefix.Length..] : null;
            var (status, contentType, payload, headers) = operation switch
            {
                "CreateExportTask" => await AnswerAsync(() => CreateExportTaskAsync(context.Request, body)),
                "DescribeExportTasks" => await AnswerAsync(() => DescribeExportTasksAsync(body)),
                "CancelExportTask" => await AnswerAsync(() => Task.FromResult(CancelExportTask(body))),
                "PutSubscriptionFilter" => await AnswerAsync(() => PutSubscriptionFilterAsync(context.Request, body)),
                "DeleteSubscriptionFilter" => await AnswerAsync(() => Task.FromResult(DeleteSubscriptionFilter(context.Request, body))),
                "StartQuery" => await AnswerAsync(() => StartQueryAsync(context.Request, body)),
                "GetQueryResults" => await AnswerAsync(() => Task.FromResult(GetQueryResults(body))),
                "StopQuery" => await AnswerAsync(() => Task.FromResult(LogsWire.StopQueryResult(_queries.Stop(LogsWire.ParseStopQuery(body))))),
                "FilterLogEvents" => await AnswerAsync(() => FilterLogEventsAsync(context.Request, body)),
                "DescribeSubscriptionFilters" => await AnswerAsync(() => Task.FromResult(LogsWire.DescribeSubscriptionFiltersResult(_subscriptions.Describe(SigningRegion(context.Request), LogsWire.LogGroupName(body) ?? string.Empty)))),
                _ => await RelayAsync(context.Request, body, operation),
            };
            response.StatusCode = (int)status;
            if (contentType is not null)
            {
                response.ContentType = contentType;
            }

            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }

            response.ContentLength64 = payload.Length;
            await response.OutputStream.WriteAsync(payload, _stop.Token);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The caller went away or the front is stopping.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A defect of the front: answer 500 with the error rather than an empty 200.
            await TryAnswerInternalFailureAsync(response, ex);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private static async Task TryAnswerInternalFailureAsync(HttpListenerResponse response, Exception ex)
    {
        try
        {
            var payload = LogsWire.Error("InternalFailure", $"{ex.GetType().Name}: {ex.Message}");
            response.StatusCode = (int)HttpStatusCode.InternalServerError;
            response.ContentType = LogsWire.ContentType;
            response.ContentLength64 = payload.Length;
            await response.OutputStream.WriteAsync(payload);
        }
        catch (Exception inner) when (inner is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Headers were already sent: closing the response is all that is left.
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task<(HttpStatusCode, string?, byte[], IReadOnlyList<(string, string)>)> AnswerAsync(Func<Task<byte[]>> operation)
    {
        IReadOnlyList<(string, string)> headers = [("x-amzn-RequestId", Guid.NewGuid().ToString())];
        try
        {
            return (HttpStatusCode.OK, LogsWire.ContentType, await operation(), headers);
        }
        catch (ExportTaskException ex)
        {
            return (HttpStatusCode.BadRequest, LogsWire.ContentType, LogsWire.Error(ex.Code, ex.Message), headers);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException)
        {
            // moto could not be asked (log group or bucket check, write test): AWS would answer 503 here.
            return (HttpStatusCode.ServiceUnavailable, LogsWire.ContentType, LogsWire.Error("ServiceUnavailableException", ex.Message), headers);
        }
    }

    private async Task<byte[]> CreateExportTaskAsync(HttpListenerRequest request, byte[] body)
    {
        var spec = LogsWire.ParseCreateExportTask(body);
        var region = SigningRegion(request);
        await CompleteDueTasksAsync(_stop.Token);
        if (!await LogGroupExistsAsync(region, spec.LogGroupName))
        {
            throw ExportTaskException.ResourceNotFound("The specified log group does not exist.");
        }

        var s3 = S3(region);
        if (!await AmazonS3Util.DoesS3BucketExistV2Async(s3, spec.Destination))
        {
            throw ExportTaskException.InvalidParameter("The given bucket does not exist. Please make sure the bucket is valid.");
        }

        if (Iam.ExportBucketPolicyCheck.Failure(await BucketPolicyAsync(s3, spec.Destination), region, LocalCloudResources.AccountId, spec.LogGroupName, spec.Destination, spec.DestinationPrefix) is { } denied)
        {
            throw new ExportTaskException(Iam.ExportBucketPolicyCheck.ErrorType, denied);
        }

        var task = _book.Create(spec);
        _taskRegions[task.TaskId] = region;
        var writeTest = new ExportObject(ExportOutput.WriteTestKey(spec.DestinationPrefix), System.Text.Encoding.UTF8.GetBytes(ExportOutput.WriteTestContent));
        await PutAsync(s3, spec.Destination, writeTest, _stop.Token);
        return LogsWire.CreateExportTaskResult(task.TaskId);
    }

    private async Task<byte[]> StartQueryAsync(HttpListenerRequest request, byte[] body)
    {
        var spec = LogsWire.ParseStartQuery(body);
        var region = SigningRegion(request);
        foreach (var group in spec.LogGroupNames)
        {
            if (!await LogGroupExistsAsync(region, group))
            {
                throw ExportTaskException.ResourceNotFound($"Log group '{group}' does not exist for account ID '{LocalCloudResources.AccountId}'");
            }
        }

        return LogsWire.StartQueryResult(_queries.Start(spec));
    }

    private byte[] GetQueryResults(byte[] body)
    {
        var (queryId, nextToken, maxItems) = LogsWire.ParseGetQueryResults(body);
        return LogsWire.GetQueryResultsResult(_queries.Results(queryId, nextToken, maxItems));
    }

    private async Task<byte[]> FilterLogEventsAsync(HttpListenerRequest request, byte[] body)
    {
        var spec = LogsWire.ParseFilterLogEvents(body);
        if (!await LogGroupExistsAsync(SigningRegion(request), spec.LogGroupName))
        {
            throw ExportTaskException.ResourceNotFound("The specified log group does not exist.");
        }

        var page = _pager.Page(spec);
        var payload = LogsWire.FilterLogEventsResult(page);
        ReadStats.FilterAnswered(page.Events.Count, payload.Length);
        return payload;
    }

    private async Task<byte[]> PutSubscriptionFilterAsync(HttpListenerRequest request, byte[] body)
    {
        var filter = LogsWire.ParsePutSubscriptionFilter(body);
        var region = SigningRegion(request);
        if (!await LogGroupExistsAsync(region, filter.LogGroupName))
        {
            throw ExportTaskException.ResourceNotFound("The specified log group does not exist.");
        }

        _subscriptions.Put(region, filter);
        return LogsWire.Empty();
    }

    private byte[] DeleteSubscriptionFilter(HttpListenerRequest request, byte[] body)
    {
        var (logGroupName, filterName) = LogsWire.ParseDeleteSubscriptionFilter(body);
        _subscriptions.Delete(SigningRegion(request), logGroupName, filterName);
        return LogsWire.Empty();
    }

    /// <summary>The destination bucket's policy as moto holds it (moto does not enforce it); null when it has none.</summary>
    private async Task<Iam.IamPolicy?> BucketPolicyAsync(AmazonS3Client s3, string bucket)
    {
        try
        {
            // AWSSDK.S3 hands a 404 NoSuchBucketPolicy back as a response whose Policy is the error's XML.
            var response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, _stop.Token);
            return response.HttpStatusCode != HttpStatusCode.OK || string.IsNullOrEmpty(response.Policy) || response.Policy.TrimStart().StartsWith('<')
                ? null
                : Iam.IamPolicy.Parse(response.Policy);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucketPolicy")
        {
            return null;
        }
    }

    private async Task<byte[]> DescribeExportTasksAsync(byte[] body)
    {
        var (taskId, statusCode, limit, nextToken) = LogsWire.ParseDescribeExportTasks(body);
        await CompleteDueTasksAsync(_stop.Token);
        var page = _book.Describe(taskId, statusCode, limit, nextToken);
        if (_poisoned is { } poisoned && _clock.GetUtcNow().ToUnixTimeMilliseconds() < poisoned.Until)
        {
            page = page with { Tasks = page.Tasks.Select(t => t.Spec.LogGroupName == poisoned.LogGroup ? t with { StatusCode = UnknownStatusCode } : t).ToList() };
        }

        return LogsWire.DescribeExportTasksResult(page);
    }

    private byte[] CancelExportTask(byte[] body)
    {
        _book.Cancel(LogsWire.ParseCancelExportTask(body));
        return LogsWire.Empty();
    }

    private async Task<bool> LogGroupExistsAsync(string region, string logGroupName)
    {
        string? nextToken = null;
        do
        {
            var page = await Logs(region).DescribeLogGroupsAsync(logGroupName, nextToken, _stop.Token);
            if (page.LogGroups.Any(g => g.LogGroupName == logGroupName))
            {
                return true;
            }

            nextToken = page.NextToken;
        }
        while (!string.IsNullOrEmpty(nextToken));

        return false;
    }

    /// <summary>Relays a request to moto unchanged and its answer back; PutLogEvents and DeleteLogGroup are noted on the way.</summary>
    private async Task<(HttpStatusCode, string?, byte[], IReadOnlyList<(string, string)>)> RelayAsync(HttpListenerRequest request, byte[] body, string? operation)
    {
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_moto, request.RawUrl));
        if (body.Length > 0 || request.HasEntityBody)
        {
            forward.Content = new ByteArrayContent(body);
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !NotRelayed.Contains(n)))
        {
            var value = request.Headers[name];
            if (!forward.Headers.TryAddWithoutValidation(name, value) && forward.Content is not null)
            {
                forward.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage answer;
        try
        {
            answer = await _http.SendAsync(forward, _stop.Token);
        }
        catch (HttpRequestException ex)
        {
            return (HttpStatusCode.BadGateway, "text/plain", System.Text.Encoding.UTF8.GetBytes($"moto_server at {_moto} did not answer: {ex.Message}"), []);
        }

        using (answer)
        {
            var payload = await answer.Content.ReadAsByteArrayAsync(_stop.Token);
            if (answer.IsSuccessStatusCode)
            {
                Observe(operation, request, body, payload);
            }

            var headers = answer.Headers.Concat(answer.Content.Headers)
                .Where(h => !NotRelayed.Contains(h.Key) && !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                .Select(h => (h.Key, string.Join(",", h.Value)))
                .ToList();
            return (answer.StatusCode, answer.Content.Headers.ContentType?.ToString(), payload, headers);
        }
    }

    private void Observe(string? operation, HttpListenerRequest request, byte[] body, byte[] answer)
    {
        switch (operation)
        {
            case "PutLogEvents":
                if (LogsWire.AcceptedPutLogEvents(body, answer) is { } accepted)
                {
                    _ingestion.Append(accepted.LogGroupName, accepted.LogStreamName, accepted.Events);
                }

                break;
            case "DeleteLogGroup":
                if (LogsWire.LogGroupName(body) is { } group)
                {
                    _ingestion.Forget(group);
                    _subscriptions.Forget(group);
                }

                break;
            case null when request.HttpMethod == "POST" && request.Url?.AbsolutePath == "/moto-api/reset":
                Reset();
                break;
        }
    }

    /// <summary>The region of the request's SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    private static string SigningRegion(HttpListenerRequest request)
    {
        var authorization = request.Headers["Authorization"];
        var start = authorization?.IndexOf("Credential=", StringComparison.Ordinal) ?? -1;
        if (authorization is null || start < 0)
        {
            return DefaultRegion;
        }

        var scope = authorization[(start + "Credential=".Length)..].Split(',')[0].Split('/');
        return scope.Length >= 5 ? scope[2] : DefaultRegion;
    }
}
