using System.Reflection;
using System.Text.Json.Nodes;
using FlowLogEvents.Configuration;
using FlowLogEvents.Functions;

namespace FlowLogEvents.Tests.Template;

/// <summary>
/// Every environment variable a function's code reads is set by the template for that function, and
/// nothing else is. What the code reads is derived from the compiled assembly: the settings type the
/// handler's constructor reads (its static Read call, found in IL) and that type's
/// <c>public const string ...Variable</c> fields.
/// </summary>
public sealed class TemplateEnvironmentTests
{
    [Theory]
    [InlineData(typeof(SignalFunction), typeof(SignalSettings))]
    [InlineData(typeof(ExportFunction), typeof(ExportSettings))]
    public void SettingsRead_ByHandler_IsFoundInItsCompiledCode(Type handler, Type expectedSettings)
    {
        Assert.Equal([expectedSettings], SettingsReadBy(handler));
    }

    [Theory]
    [InlineData("SignalFunction", typeof(SignalFunction))]
    [InlineData("ExportFunction", typeof(ExportFunction))]
    public void EnvironmentVariables_OfFunction_AreExactlyThoseItsCodeReads(string logicalId, Type handler)
    {
        var read = SettingsReadBy(handler).SelectMany(VariablesOf).Where(v => !v.StartsWith("AWS_", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        var set = TemplateVariables(logicalId).Keys.Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(read);
        Assert.Equal(read, set);
    }

    [Fact]
    public void ExportFunctionLogGroup_OfSignalFunction_IsTheExportFunctionsLogGroup()
    {
        // With its own AWS_LAMBDA_LOG_GROUP_NAME, the signal function knows both of the stack's function log groups.
        Assert.Equal("""{"Ref":"ExportFunctionLogGroup"}""", TemplateVariables("SignalFunction")[SignalSettings.ExportFunctionLogGroupVariable]?.ToJsonString());
    }

    [Fact]
    public void StackName_OfExportFunction_IsTheStacksName()
    {
        // Task names hash the deployment in: a second stack in the account never adopts this one's tasks.
        Assert.Equal("""{"Ref":"AWS::StackName"}""", TemplateVariables("ExportFunction")["STACK_NAME"].ToJsonString());
    }

    [Fact]
    public void VariablesOf_Settings_FindsTheDocumentedVariables()
    {
        Assert.Equal(["AWS_LAMBDA_LOG_GROUP_NAME", "CLOCK_SKEW_SECONDS", "DEBOUNCE_SECONDS", "EXPORT_FUNCTION_LOG_GROUP", "SETTLE_DELAY_SECONDS", "SIGNAL_QUEUE_URL"], VariablesOf(typeof(SignalSettings)).Order(StringComparer.Ordinal));
        Assert.Equal(18, VariablesOf(typeof(ExportSettings)).Count);
    }

    [Theory]
    [InlineData("SignalFunction")]
    [InlineData("ExportFunction")]
    public void TemplateDefaults_OfFunction_AreAcceptedByItsSettings(string logicalId)
    {
        var env = TemplateVariables(logicalId).ToDictionary(v => v.Key, v => Resolve(v.Value), StringComparer.Ordinal);

        Read(logicalId, env);
    }

    /// <summary>Each numeric parameter's MinValue and MaxValue are accepted by the code that reads it.</summary>
    [Theory]
    [InlineData("SignalFunction")]
    [InlineData("ExportFunction")]
    public void ParameterBounds_OfFunction_AreAcceptedByItsSettings(string logicalId)
    {
        var checkedBounds = 0;
        foreach (var (name, value) in TemplateVariables(logicalId))
        {
            if (value is not JsonObject o || (string?)o["Ref"] is not { } parameter
                || RepositoryFiles.Template["Parameters"]![parameter] is not JsonObject definition || (string?)definition["Type"] != "Number")
            {
                continue;
            }

            foreach (var bound in new[] { "MinValue", "MaxValue" })
            {
                var env = TemplateVariables(logicalId).ToDictionary(v => v.Key, v => Resolve(v.Value), StringComparer.Ordinal);
                env[name] = definition[bound]!.ToString();
                var error = Record.Exception(() => Read(logicalId, env));
                Assert.True(error is null, $"{parameter}.{bound} = {env[name]} is refused by the code: {error?.Message}");
                checkedBounds++;
            }
        }

        Assert.True(checkedBounds >= 2, "no numeric parameter bounds were checked");
    }

    internal static IReadOnlyDictionary<string, JsonNode> TemplateVariables(string logicalId)
    {
        var variables = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var source in new[] { RepositoryFiles.Template["Globals"]?["Function"], RepositoryFiles.Properties(logicalId) })
        {
            if (source?["Environment"]?["Variables"] is JsonObject set)
            {
                foreach (var (key, value) in set)
                {
                    variables[key] = value!;
                }
            }
        }

        return variables;
    }

    private static void Read(string logicalId, Dictionary<string, string> env)
    {
        var reader = new EnvironmentReader(name => env.GetValueOrDefault(name));
        _ = logicalId == "SignalFunction" ? (object)SignalSettings.Read(reader) : ExportSettings.Read(reader);
    }

    private static List<Type> SettingsReadBy(Type handler) =>
        CallsIn(handler)
            .Where(s => s.Callee is MethodInfo { IsStatic: true, Name: "Read" } m && m.DeclaringType?.Namespace == typeof(SignalSettings).Namespace)
            .Select(s => s.Callee.DeclaringType!)
            .Distinct()
            .ToList();

    private static IEnumerable<CallSite> CallsIn(Type handler) =>
        handler.Assembly.GetTypes().Where(t => IlCalls.Outermost(t) == handler).SelectMany(IlCalls.In);

    private static List<string> VariablesOf(Type settings) =>
        settings.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Variable", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    /// <summary>A template value with parameters at their defaults and resources at plausible physical ids (Fn::If: first branch).</summary>
    private static string Resolve(JsonNode node)
    {
        if (node is JsonValue v)
        {
            return v.ToString();
        }

        var obj = node.AsObject();
        if (obj["Fn::If"] is JsonArray fnIf)
        {
            return Resolve(fnIf[1]!);
        }

        var name = (string)obj["Ref"]!;
        if (name == "AWS::StackName")
        {
            return "flowlogevents-prod";
        }

        if (RepositoryFiles.Template["Parameters"]![name] is JsonObject parameter)
        {
            return parameter["Default"]?.ToString() ?? throw new InvalidOperationException($"parameter {name} has no default");
        }

        return (string?)RepositoryFiles.Resource(name)["Type"] switch
        {
            "AWS::SQS::Queue" => $"https://sqs.us-east-1.amazonaws.com/123456789012/stack-{name}-ABC.fifo",
            "AWS::S3::Bucket" => "stack-exportbucket-abc123",
            "AWS::Logs::LogGroup" => "/aws/lambda/stack-export",
            var type => throw new InvalidOperationException($"no physical id for {name} ({type})"),
        };
    }
}
