using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Template;

namespace FlowLogEvents.Tests.Support;

/// <summary>
/// src/FlowLogEvents.Bootstrap published once per test run, as the deployment builds it (Release,
/// self-contained, ReadyToRun), into artifacts/lambda/&lt;rid&gt; (incremental: later runs take seconds).
/// </summary>
public static class PublishedPackage
{
    private static readonly Lazy<Task<FunctionPackage>> HostPackage = new(() => PublishAsync(FunctionPackage.HostRuntimeIdentifier));
    private static readonly Lazy<Task<FunctionPackage>> Arm64Package = new(() => PublishAsync("linux-arm64"));

    /// <summary>For this machine's architecture: what the local cloud runs.</summary>
    public static Task<FunctionPackage> ForHostAsync() => HostPackage.Value;

    /// <summary>For the template's architecture: what `dotnet lambda deploy-serverless` uploads.</summary>
    public static Task<FunctionPackage> ForLambdaAsync() => Arm64Package.Value;

    private static Task<FunctionPackage> PublishAsync(string rid) =>
        FunctionPackage.PublishAsync(RepositoryFiles.Root, rid, Path.Combine(RepositoryFiles.Root, "artifacts", "lambda", rid), CancellationToken.None);
}
