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

    [Theory]
    [InlineData("SignalFunction", typeof(SignalFunction))]
    [InlineData("ExportFunction", typeof(ExportFunction))]
    public void Handler_OfFunction_ResolvesToAPublicStreamMethodOfTheBuiltAssembly(string logicalId, Type expectedType)
    {
        var handler = (string)RepositoryFiles.Properties(logicalId)["Handler"]!;
        var parts = handler.Split("::");

        Assert.Equal(3, parts.Length);
        Assert.Equal(Code.GetName().Name, parts[0]);
        var type = Code.GetType(parts[1], throwOnError: false);
        Assert.NotNull(type);
        Assert.Equal(expectedType, type);
        Assert.True(type.IsPublic && !type.IsAbstract, $"{type} must be a public concrete class");
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        var method = Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name == parts[2]);
        var parameter = Assert.Single(method.GetParameters());
        Assert.Equal(typeof(Stream), parameter.ParameterType);
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
    }

    [Fact]
    public void Runtime_InGlobals_MatchesTheAssemblysTargetFrameworkOnArm64()
    {
        var globals = RepositoryFiles.Template["Globals"]!["Function"]!;
        var framework = Code.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;

        Assert.Equal(".NETCoreApp,Version=v10.0", framework);
        Assert.Equal("dotnet10", (string)globals["Runtime"]!);
        Assert.Equal(["arm64"], globals["Architectures"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("./src/FlowLogEvents", (string)globals["CodeUri"]!);
    }
}
