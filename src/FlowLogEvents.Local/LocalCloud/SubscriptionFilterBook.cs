namespace FlowLogEvents.Local.LocalCloud;

/// <summary>
/// The subscription filters of each log group (per region), with CloudWatch Logs' limit: "Each log group can have up
/// to two subscription filters associated with it. If you are updating an existing filter, you must specify the
/// correct name in filterName" (PutSubscriptionFilter API reference). Newer sources (the CloudWatch Logs quotas page,
/// as cfn-lint's E2529 cites it since 2026) say 5: the harsher reading, 2, is modelled. A third filter name is
/// answered LimitExceededException "Resource limit exceeded." (what CloudFormation reports for an
/// AWS::Logs::SubscriptionFilter on a full log group); putting a filter of a name the group already has replaces it.
/// </summary>
public sealed class SubscriptionFilterBook
{
    /// <summary>Subscription filters per log group.</summary>
    public const int Limit = 2;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Region, string LogGroup), List<SubscriptionFilterView>> _filters = [];

    /// <summary>Adds or replaces a filter; throws LimitExceededException when the log group already has <see cref="Limit"/> others.</summary>
    public void Put(string region, SubscriptionFilterView filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_gate)
        {
            var key = (region, filter.LogGroupName);
            if (!_filters.TryGetValue(key, out var filters))
            {
                _filters[key] = filters = [];
            }

            var existing = filters.FindIndex(f => f.FilterName == filter.FilterName);
            if (existing >= 0)
            {
                filters[existing] = filter;
                return;
            }

            if (filters.Count >= Limit)
            {
                throw new ExportTaskException("LimitExceededException", ExportTaskException.LimitExceededMessage);
            }

            filters.Add(filter);
        }
    }

    /// <summary>Removes a filter; throws ResourceNotFoundException when the log group has none of that name.</summary>
    public void Delete(string region, string logGroupName, string filterName)
    {
        lock (_gate)
        {
            if (!_filters.TryGetValue((region, logGroupName), out var filters) || filters.RemoveAll(f => f.FilterName == filterName) == 0)
            {
                throw ExportTaskException.ResourceNotFound("The specified subscription filter does not exist.");
            }
        }
    }

    public IReadOnlyList<SubscriptionFilterView> Describe(string region, string logGroupName)
    {
        lock (_gate)
        {
            return _filters.TryGetValue((region, logGroupName), out var filters) ? [.. filters] : [];
        }
    }

    /// <summary>Forgets a deleted log group's filters (CloudWatch Logs deletes them with it).</summary>
    public void Forget(string logGroupName)
    {
        lock (_gate)
        {
            foreach (var key in _filters.Keys.Where(k => k.LogGroup == logGroupName).ToList())
            {
                _filters.Remove(key);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _filters.Clear();
        }
    }
}
