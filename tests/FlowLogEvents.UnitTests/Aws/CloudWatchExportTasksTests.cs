using FlowLogEvents.Aws;
using FlowLogEvents.Aws.CloudWatchLogs;
using FlowLogEvents.Exports;
using FlowLogEvents.Tests.Fakes;

namespace FlowLogEvents.Tests.Aws;

/// <summary>The export-task adapter's search by name over DescribeExportTasks pages (newest first).</summary>
public sealed class CloudWatchExportTasksTests
{
    private const string Group = "/aws/vpc/flow-logs/prod";
    private const long Now = 1_795_705_200_000;
    private const long Minute = 60_000;

    private static ExportTask Ours(string name, long created) => new()
    {
        TaskId = "a1b2c3d4-5678-90ab-cdef-000000000001",
        TaskName = name,
        LogGroupName = Group,
        Destination = "flowlog-archive",
        DestinationPrefix = "flowlogevents/exports/aws/vpc/flow-logs/prod",
        StatusCode = "RUNNING",
        CreationTime = created,
    };

    [Fact]
    public async Task FindByNameAsync_NameAbsentAmong3000Tasks_AnswersNoneAtThePageAllBeforeTheBound()
    {
        var client = new PagedExportTasksClient();
        client.SeedHistory(3_000, newest: Now - Minute);
        var tasks = new CloudWatchExportTasks(client);

        var found = await tasks.FindByNameAsync(Group, "flowlogevents-never-created", DateTimeOffset.FromUnixTimeMilliseconds(Now - (20 * Minute)), CancellationToken.None);

        Assert.Empty(found);
        Assert.Equal(2, client.DescribeCalls); // 20 of the newest 50 are at or after the bound; the next 50 are all older
    }

    [Fact]
    public async Task FindByNameAsync_NameBehind120NewerTasks_FoundReadingOnePagePastIt()
    {
        var client = new PagedExportTasksClient();
        client.SeedHistory(3_000, newest: Now - Minute);
        client.Tasks.Add(Ours("flowlogevents-window", Now - (121 * Minute) + 1));
        var tasks = new CloudWatchExportTasks(client);

        var found = await tasks.FindByNameAsync(Group, "flowlogevents-window", DateTimeOffset.FromUnixTimeMilliseconds(Now - (121 * Minute)), CancellationToken.None);

        var task = Assert.Single(found);
        Assert.Equal(
            new ExportTaskInfo("a1b2c3d4-5678-90ab-cdef-000000000001", "flowlogevents-window", ExportTaskStatus.Running, null, "flowlog-archive", "flowlogevents/exports/aws/vpc/flow-logs/prod", Now - (121 * Minute) + 1),
            task);
        Assert.Equal(4, client.DescribeCalls); // it is on page 3, which still holds tasks at the bound
    }

    [Fact]
    public async Task FindByNameAsync_SameNameCreatedBeforeTheBound_NotReturned()
    {
        // The task of an earlier life of this deployment (a start-over): created before the window was planned.
        var client = new PagedExportTasksClient();
        client.Tasks.Add(Ours("flowlogevents-window", Now - (3 * 24 * 60 * Minute)));
        client.SeedHistory(10, newest: Now - Minute);
        var tasks = new CloudWatchExportTasks(client);

        var found = await tasks.FindByNameAsync(Group, "flowlogevents-window", DateTimeOffset.FromUnixTimeMilliseconds(Now - (30 * Minute)), CancellationToken.None);

        Assert.Empty(found);
        Assert.Equal(1, client.DescribeCalls);
    }
}
