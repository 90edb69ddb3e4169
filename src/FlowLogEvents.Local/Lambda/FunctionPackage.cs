using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// The deployment package the local cloud runs: <c>src/FlowLogEvents.Bootstrap</c> published as
/// <c>dotnet lambda package</c> publishes it for the template's <c>provided.al2023</c> functions
/// (Release, self-contained, ReadyToRun, a <c>bootstrap</c> executable at the root), but for this
/// machine's architecture: the template deploys linux-arm64, which an x64 machine cannot execute, so a
/// local run uses the linux-x64 build of the same code.
/// </summary>
public sealed class FunctionPackage
{
    public const string BootstrapProject = "src/FlowLogEvents.Bootstrap/FlowLogEvents.Bootstrap.csproj";
    public const string BootstrapFile = "bootstrap";

    private FunctionPackage(string directory, string runtimeIdentifier)
    {
        Directory = directory;
        RuntimeIdentifier = runtimeIdentifier;
    }

    /// <summary>The package's root (what Lambda extracts to <c>LAMBDA_TASK_ROOT</c>).</summary>
    public string Directory { get; }

    public string RuntimeIdentifier { get; }

    public string Bootstrap => Path.Combine(Directory, BootstrapFile);

    /// <summary>linux-x64 or linux-arm64: the runtime identifier this machine executes.</summary>
    public static string HostRuntimeIdentifier => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => throw new PlatformNotSupportedException($"no Lambda architecture for {other}"),
    };

    /// <summary>A package published before (for example an unzipped deployment package): it must hold an executable <c>bootstrap</c>.</summary>
    public static FunctionPackage Open(string directory, string runtimeIdentifier)
    {
        var package = new FunctionPackage(Path.GetFullPath(directory), runtimeIdentifier);
        if (!File.Exists(package.Bootstrap))
        {
            throw new FileNotFoundException($"the function package at {package.Directory} has no '{BootstrapFile}' at its root", package.Bootstrap);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(package.Bootstrap) & UnixFileMode.UserExecute) == 0)
        {
            throw new InvalidOperationException($"{package.Bootstrap} is not executable; Lambda could not start it");
        }

        return package;
    }

    /// <summary>
    /// Publishes the bootstrap project for <paramref name="runtimeIdentifier"/> into
    /// <paramref name="output"/> (incremental: a second publish of unchanged code takes seconds).
    /// </summary>
    public static async Task<FunctionPackage> PublishAsync(string repositoryRoot, string runtimeIdentifier, string output, CancellationToken ct, params string[] properties)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var argument in new[] { "publish", BootstrapProject, "-c", "Release", "-r", runtimeIdentifier, "--self-contained", "true", "-o", output, "-nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var property in properties)
        {
            start.ArgumentList.Add(property);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {BootstrapProject} -r {runtimeIdentifier} failed (exit {process.ExitCode}):\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }

        return Open(output, runtimeIdentifier);
    }

    /// <summary>The folder holding FlowLogEvents.sln, searched upward from <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlowLogEvents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no FlowLogEvents.sln above {start}: run from the repository, or give a published package with --package");
    }
}
