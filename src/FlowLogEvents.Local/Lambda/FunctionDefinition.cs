namespace FlowLogEvents.Local.Lambda;

/// <summary>
/// One function as the template declares it: <paramref name="Handler"/> goes to <c>_HANDLER</c>,
/// <paramref name="Environment"/> are the template's variables (none may be a key Lambda reserves),
/// <paramref name="PackageDirectory"/> holds the published <c>bootstrap</c> and becomes <c>LAMBDA_TASK_ROOT</c>.
/// <paramref name="Timeout"/> is enforced on the real clock; <paramref name="MemoryMb"/> is only reported
/// (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>), not enforced.
/// </summary>
public sealed record FunctionDefinition(
    string Name,
    string Handler,
    TimeSpan Timeout,
    int MemoryMb,
    IReadOnlyDictionary<string, string> Environment,
    string PackageDirectory,
    int MaxConcurrency,
    InvocationType InvocationType)
{
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>The unqualified ARN, which is what Lambda reports for an invocation of $LATEST.</summary>
    public string Arn => $"arn:aws:lambda:{Region}:{AccountId}:function:{Name}";

    public string LogGroupName => "/aws/lambda/" + Name;

    public string BootstrapPath => Path.Combine(PackageDirectory, "bootstrap");

    /// <summary>Throws what CreateFunction would refuse, and a package without a bootstrap.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentNullException.ThrowIfNull(Environment);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        var reserved = Environment.Keys.Where(LambdaEnvironment.IsReserved).ToList();
        if (reserved.Count > 0)
        {
            throw new ArgumentException(
                $"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {string.Join(", ", reserved)}",
                nameof(Environment));
        }

        if (!File.Exists(BootstrapPath))
        {
            throw new FileNotFoundException($"Function {Name}: no bootstrap in the package directory {PackageDirectory}.", BootstrapPath);
        }
    }
}
