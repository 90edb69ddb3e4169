using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Tests.LocalCloud;

/// <summary>CloudWatch Logs' subscription filter limit per log group (2, the harsher of the documented readings).</summary>
public sealed class SubscriptionFilterBookTests
{
    private const string Region = "us-east-1";
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:fle-signal";

    private static SubscriptionFilterView Filter(string name, string group = "/vpc/a", string pattern = "") => new(group, name, pattern, Arn);

    [Fact]
    public void Put_ThirdFilterName_LimitExceededResourceLimitExceeded()
    {
        var book = new SubscriptionFilterBook();
        book.Put(Region, Filter("other-tool"));
        book.Put(Region, Filter("flowlogevents"));

        var error = Assert.Throws<ExportTaskException>(() => book.Put(Region, Filter("third")));

        Assert.Equal(("LimitExceededException", "Resource limit exceeded."), (error.Code, error.Message));
        Assert.Equal(["other-tool", "flowlogevents"], book.Describe(Region, "/vpc/a").Select(f => f.FilterName));
    }

    [Fact]
    public void Put_ExistingNameOnAFullLogGroup_ReplacesIt()
    {
        var book = new SubscriptionFilterBook();
        book.Put(Region, Filter("other-tool"));
        book.Put(Region, Filter("flowlogevents"));

        book.Put(Region, Filter("flowlogevents", pattern: "ACCEPT"));

        Assert.Equal([("other-tool", ""), ("flowlogevents", "ACCEPT")], book.Describe(Region, "/vpc/a").Select(f => (f.FilterName, f.FilterPattern)));
    }

    [Fact]
    public void Put_AfterDelete_FreesTheSlot()
    {
        var book = new SubscriptionFilterBook();
        book.Put(Region, Filter("a"));
        book.Put(Region, Filter("b"));
        book.Put(Region, Filter("c", group: "/vpc/other"));

        book.Delete(Region, "/vpc/a", "a");
        book.Put(Region, Filter("c"));

        Assert.Equal(["b", "c"], book.Describe(Region, "/vpc/a").Select(f => f.FilterName));
        Assert.Equal(SubscriptionFilterBook.Limit, 2);
    }

    [Fact]
    public void Delete_UnknownFilter_ResourceNotFound()
    {
        var error = Assert.Throws<ExportTaskException>(() => new SubscriptionFilterBook().Delete(Region, "/vpc/a", "nope"));

        Assert.Equal("ResourceNotFoundException", error.Code);
    }
}
