using System.Reflection;
using System.Runtime.Versioning;
using FlowLogEvents.Functions;

namespace FlowLogEvents.Tests.Template;

/// <summary>Each function's Handler string resolves against the built assembly, the way the .NET Lambda runtime does.</summary>
public sealed class TemplateHandlerTests
{
    private static readonly Assembly Code = typeof(SignalFunction).Assembly;

    [Fact]
    public void Functions_InTemplate_AreExactlySignalAndExport()
    {
        Assert.Equal(["ExportFunction", "SignalFunction"], RepositoryFiles.ResourcesOfType("AWS::Serverless::Function").Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// On provided.al2023 the bootstrap selects the function by <c>_HANDLER</c> from its table; the strings keep
    /// the managed runtime's <c>Assembly::Type::Method</c> form, resolvable against the built assembly, so that a
    /// return to <c>dotnet10</c> needs no template change (docs/decisions/0001).
    /// </summary>
    [Theory]
    [InlineData("SignalFunction", typeof(SignalFunction), FunctionHandlers.Signal)]
    [InlineData("ExportFunction", typeof(ExportFunction), FunctionHandlers.Export)]
    public void Handler_OfFunction_IsInTheBootstrapsTableAndResolvesToAPublicStreamMethod(string logicalId, Type expectedType, string expectedHandler)
    {
        var handler = (string)RepositoryFiles.Properties(logicalId)["Handler"]!;
        var parts = handler.Split("::");

        Assert.Equal(expectedHandler, handler);
        Assert.Contains(handler, FunctionHandlers.All.Keys);
        Assert.Equal(3, parts.Length);
        Assert.Equal(Code.GetName().Name, parts[0]);
        var type = Code.GetType(parts[1], throwOnError: false);
        Assert.NotNull(type);
        Assert.Equal(expectedType, type);
        Assert.True(type.IsPublic && !type.IsAbstract, $"{type} must be a public concrete class");
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)]);
        Assert.NotNull(method);
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
    }

    [Fact]
    public void Runtime_InGlobals_IsTheCustomRuntimeOnArm64BuiltFromTheBootstrapProject()
    {
        var globals = RepositoryFiles.Template["Globals"]!["Function"]!;
        var framework = Code.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;

        Assert.Equal(".NETCoreApp,Version=v10.0", framework);
        Assert.Equal("provided.al2023", (string)globals["Runtime"]!);
        Assert.Equal(["arm64"], globals["Architectures"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("./src/FlowLogEvents.Bootstrap", (string)globals["CodeUri"]!);
    }

    /// <summary>
    /// Amazon.Lambda.Tools builds a CodeUri folder only when it holds exactly one project file at its top, and
    /// never names the executable itself: Lambda runs <c>$LAMBDA_TASK_ROOT/bootstrap</c>.
    /// </summary>
    [Fact]
    public void CodeUri_OfFunctions_HoldsOneExecutableProjectNamedBootstrap()
    {
        var folder = Path.Combine(RepositoryFiles.Root, "src", "FlowLogEvents.Bootstrap");
        var project = Assert.Single(Directory.GetFiles(folder), f => f.EndsWith("proj", StringComparison.Ordinal));
        var xml = System.Xml.Linq.XDocument.Load(project);

        Assert.Equal("FlowLogEvents.Bootstrap.csproj", Path.GetFileName(project));
        Assert.Equal(["bootstrap"], xml.Descendants("AssemblyName").Select(e => e.Value));
        Assert.Equal(["Exe"], xml.Descendants("OutputType").Select(e => e.Value));
    }

    /// <summary>
    /// provided.al2023 has no .NET, and the tool appends <c>--self-contained False</c> unless the folder's own
    /// defaults file (the one it reads when it builds a CodeUri other than the root) says otherwise.
    /// </summary>
    [Fact]
    public void ToolDefaults_OfCodeUriFolder_PublishSelfContainedRelease()
    {
        var defaults = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "src", "FlowLogEvents.Bootstrap", "aws-lambda-tools-defaults.json")))!;

        Assert.Equal("--self-contained true", (string)defaults["msbuild-parameters"]!);
        Assert.Equal("Release", (string)defaults["configuration"]!);
    }
}
