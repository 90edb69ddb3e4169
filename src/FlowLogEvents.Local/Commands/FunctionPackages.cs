using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Local.Commands;

/// <summary>The published function package a command starts.</summary>
internal static class FunctionPackages
{
    /// <summary>Help text of run's and matrix's <c>--package</c>.</summary>
    public const string PackageDescription = "A published function package (a folder with bootstrap at its root) to run; default: publish src/FlowLogEvents.Bootstrap for this machine into artifacts/lambda/<rid>";

    /// <summary>The package a run starts: the one given, or src/FlowLogEvents.Bootstrap published now for this machine.</summary>
    public static async Task<string?> PackageAsync(string? given, CancellationToken ct)
    {
        if (given is not null)
        {
            return FunctionPackage.Open(given, FunctionPackage.HostRuntimeIdentifier).Directory;
        }

        var root = FunctionPackage.FindRepositoryRoot(Environment.CurrentDirectory);
        var rid = FunctionPackage.HostRuntimeIdentifier;
        var folder = Path.Combine(root, "artifacts", "lambda", rid);
        Console.Out.WriteLine($"Publishing {FunctionPackage.BootstrapProject} for {rid} (self-contained, ReadyToRun) into {folder} ...");
        var published = await FunctionPackage.PublishAsync(root, rid, folder, ct).ConfigureAwait(false);
        return published.Directory;
    }
}
