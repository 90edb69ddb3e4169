using System.Globalization;

namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// The environment variables Lambda gives a process of an OS-only runtime (<c>provided.al2023</c>), per AWS's
/// "Defined runtime environment variables": the reserved ones, then the unreserved defaults (LANG, PATH,
/// LD_LIBRARY_PATH), then the function's template variables. Nothing is inherited from the parent process.
/// Not set, as on Lambda for the provided family: <c>AWS_EXECUTION_ENV</c> ("not defined for custom runtimes") and
/// <c>_X_AMZN_TRACE_ID</c> (the runtime sets it from <c>Lambda-Runtime-Trace-Id</c>).
/// </summary>
public static class LambdaEnvironment
{
    /// <summary>Lambda's PATH for provided runtimes.</summary>
    public const string DefaultPath = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";

    /// <summary>Keys Lambda sets itself and refuses in a function's configuration.</summary>
    public static IReadOnlySet<string> ReservedKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
    };

    public static bool IsReserved(string key) => ReservedKeys.Contains(key);

    /// <summary>
    /// The variables of one environment. LAMBDA_TASK_ROOT and LAMBDA_RUNTIME_DIR are both the package directory:
    /// locally there is no separate runtime directory (on Lambda /var/task and /var/runtime).
    /// </summary>
    public static Dictionary<string, string> For(FunctionDefinition definition, string runtimeApi, FunctionCredentials credentials, string logStreamName)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(credentials);
        var taskRoot = Path.GetFullPath(definition.PackageDirectory);
        var runtimeDir = taskRoot;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["_HANDLER"] = definition.Handler,
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
            ["LAMBDA_TASK_ROOT"] = taskRoot,
            ["LAMBDA_RUNTIME_DIR"] = runtimeDir,
            ["AWS_LAMBDA_FUNCTION_NAME"] = definition.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = definition.MemoryMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = definition.LogGroupName,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = logStreamName,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_REGION"] = definition.Region,
            ["AWS_DEFAULT_REGION"] = definition.Region,
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = credentials.SessionToken,
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["PATH"] = DefaultPath,
            ["LD_LIBRARY_PATH"] = $"/lib64:/usr/lib64:{runtimeDir}:{runtimeDir}/lib:{taskRoot}:{taskRoot}/lib:/opt/lib",
        };

        foreach (var (key, value) in definition.Environment)
        {
            variables[key] = value;
        }

        return variables;
    }

    /// <summary>Lambda's log stream name: <c>yyyy/MM/dd/[$LATEST]</c> and 32 hex digits.</summary>
    public static string LogStreamName(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture) + "/[$LATEST]" + Guid.NewGuid().ToString("N");
}
