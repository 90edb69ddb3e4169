using System.Buffers.Binary;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Tests.Support;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// What `dotnet lambda deploy-serverless` uploads for the template's functions (provided.al2023, arm64): the
/// bootstrap project published for linux-arm64, self-contained, as the tool publishes it with the CodeUri
/// folder's defaults. Lambda runs <c>$LAMBDA_TASK_ROOT/bootstrap</c>; the image has no .NET and no libicu.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackageContentsTests
{
    private const ushort ElfMachineAarch64 = 0xB7;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Bootstrap_PublishedForLambda_IsAnExecutableArm64ElfAtTheRoot()
    {
        var package = await PublishedPackage.ForLambdaAsync();
        var header = new byte[20];
        await using (var file = File.OpenRead(package.Bootstrap))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal("linux-arm64", package.RuntimeIdentifier);
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        Assert.Equal(2, header[4]); // ELFCLASS64
        Assert.Equal(ElfMachineAarch64, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18, 2)));
        Assert.True(File.GetUnixFileMode(package.Bootstrap).HasFlag(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
    }

    [Fact]
    public async Task Package_PublishedForLambda_CarriesItsOwnRuntimeAndNoAmazonLambdaAssembly()
    {
        var package = await PublishedPackage.ForLambdaAsync();
        var files = Directory.GetFiles(package.Directory).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var runtimeConfig = await File.ReadAllTextAsync(Path.Combine(package.Directory, "bootstrap.runtimeconfig.json"));

        Assert.Contains("libcoreclr.so", files);
        Assert.Contains("System.Private.CoreLib.dll", files);
        Assert.Contains("FlowLogEvents.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("Amazon.Lambda.", StringComparison.Ordinal));
        Assert.Contains("\"System.Globalization.Invariant\": true", runtimeConfig, StringComparison.Ordinal);
        Assert.Contains("\"includedFrameworks\"", runtimeConfig, StringComparison.Ordinal); // self-contained
    }

    [Fact]
    public async Task Bootstrap_PublishedForThisMachine_IsWhatTheLocalCloudRuns()
    {
        var package = await PublishedPackage.ForHostAsync();

        Assert.Equal(FunctionPackage.HostRuntimeIdentifier, package.RuntimeIdentifier);
        Assert.True(File.Exists(package.Bootstrap));
    }
}
