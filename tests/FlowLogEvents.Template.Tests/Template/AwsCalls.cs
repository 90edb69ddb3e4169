using System.Reflection;
using Amazon.Runtime;
using FlowLogEvents.Aws;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// The AWS operations the compiled FlowLogEvents assembly calls, found by reading its IL: every
/// call to an <c>...Async</c> method of an AWS client (an SDK <see cref="IAmazonService"/> or our
/// CloudWatch Logs client), mapped to the IAM action of the same name.
/// </summary>
public static class AwsCalls
{
    public static readonly Assembly Code = typeof(IamActions).Assembly;

    /// <summary>The IAM service prefix of a client type's namespace; null for a namespace not mapped yet.</summary>
    public static string? ServicePrefix(Type clientType) => clientType.Namespace switch
    {
        "Amazon.S3" => "s3",
        "Amazon.SQS" => "sqs",
        "FlowLogEvents.Aws.CloudWatchLogs" => "logs",
        _ => null,
    };

    public static bool IsClient(Type type) =>
        typeof(IAmazonService).IsAssignableFrom(type)
        || (type.Namespace == "FlowLogEvents.Aws.CloudWatchLogs" && type.Name.EndsWith("Client", StringComparison.Ordinal));

    /// <summary>
    /// The IAM action an operation is authorised as, where the Service Authorization Reference names it differently
    /// (list_amazons3: ListObjectsV2 and ListObjects need s3:ListBucket); otherwise the operation's name.
    /// </summary>
    public static string ActionOf(string operation) => operation is "ListObjectsV2" or "ListObjects" ? "ListBucket" : operation;

    /// <summary>Calling type (outermost) -> IAM actions of the AWS operations it calls.</summary>
    public static IReadOnlyDictionary<Type, SortedSet<string>> ByCaller()
    {
        var result = new Dictionary<Type, SortedSet<string>>();
        foreach (var site in IlCalls.In(Code))
        {
            var client = site.Callee.DeclaringType;
            // Calls inside a client (our CloudWatch Logs client invoking the SDK pipeline) are its implementation, not an adapter's use.
            if (client is null || !IsClient(client) || IsClient(site.Caller) || !site.Callee.Name.EndsWith("Async", StringComparison.Ordinal))
            {
                continue;
            }

            var prefix = ServicePrefix(client)
                ?? throw new InvalidOperationException($"{site.Caller.Name} calls {client.FullName}.{site.Callee.Name}: map namespace {client.Namespace} to its IAM service prefix in AwsCalls.ServicePrefix");
            var action = prefix + ":" + ActionOf(site.Callee.Name[..^"Async".Length]);
            if (!result.TryGetValue(site.Caller, out var actions))
            {
                result[site.Caller] = actions = new SortedSet<string>(StringComparer.Ordinal);
            }

            actions.Add(action);
        }

        return result;
    }

    /// <summary>An adapter's declared <c>RequiredActions</c>; null when the type declares none.</summary>
    public static IReadOnlyList<string>? Declared(Type adapter) =>
        adapter.GetProperty("RequiredActions", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IReadOnlyList<string>;

    /// <summary>The adapters (types declaring RequiredActions) a function's code constructs.</summary>
    public static IReadOnlyList<Type> AdaptersBuiltBy(Type function) =>
        function.Assembly.GetTypes()
            .Where(t => IlCalls.Outermost(t) == function)
            .SelectMany(IlCalls.In)
            .Where(s => s.OpCode == System.Reflection.Emit.OpCodes.Newobj && s.Callee.DeclaringType is { } t && Declared(t) is not null)
            .Select(s => s.Callee.DeclaringType!)
            .Distinct()
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
}
