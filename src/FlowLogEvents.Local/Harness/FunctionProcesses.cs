using System.Globalization;
using System.Text.Json;
using FlowLogEvents.Local.Faults;
using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Local.Iam;
using FlowLogEvents.Local.Lambda;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Harness;

/// <summary>
/// Both functions as Lambda runs them in a local run: execution environments are processes of the
/// published package (<see cref="LambdaFunction"/>), on the run's clock through libfaketime
/// (<see cref="ProcessClock"/>), each with its own access key; every AWS request they make goes through
/// the <see cref="AwsGateway"/>, which injects the run's AWS faults on the wire and turns crash points
/// into process kills. Their stdout and stderr lines go to the run's <see cref="FunctionLog"/>.
/// </summary>
public sealed class FunctionProcesses : IAsyncDisposable
{
    public const string SignalFunctionName = "SignalFunction";
    public const string ExportFunctionName = "ExportFunction";

    private FunctionProcesses(AwsGateway gateway, TemplateRoleAuthorizer authorizer, LambdaFunction signal, LambdaFunction export)
    {
        Gateway = gateway;
        Authorizer = authorizer;
        SignalFunction = signal;
        ExportFunction = export;
        Signal = new Invoker(signal);
        Export = new Invoker(export);
    }

    public AwsGateway Gateway { get; }

    /// <summary>The IAM evaluation of every function request against its role in serverless.template.</summary>
    public TemplateRoleAuthorizer Authorizer { get; }

    public LambdaFunction SignalFunction { get; }

    public LambdaFunction ExportFunction { get; }

    /// <summary>The signal function, invoked asynchronously (a subscription's delivery).</summary>
    public IFunctionInvoker Signal { get; }

    /// <summary>The export function, invoked synchronously (the SQS event source mapping, or a second caller at the same time).</summary>
    public IFunctionInvoker Export { get; }

    /// <param name="signalEnvironments">How many environments the signal function may run at once.</param>
    /// <param name="denied">Called with a description of each request the functions' roles do not allow (answered AccessDenied).</param>
    public static async Task<FunctionProcesses> StartAsync(
        LocalCloudResources cloud,
        ServerlessTemplate template,
        FunctionPackage package,
        SimulatedClock clock,
        FaultOptions faults,
        FaultCounters faultCounters,
        CrashSchedule crashes,
        int seed,
        int signalEnvironments,
        FunctionLog log,
        Action<string>? denied,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(log);
        ProcessClock.EnsureInstalled();
        var registry = new EnvironmentRegistry();
        var authorizer = new TemplateRoleAuthorizer([
            TemplateRoles.For(template, cloud.Intrinsics, SignalFunctionName),
            TemplateRoles.For(template, cloud.Intrinsics, ExportFunctionName),
        ])
        {
            Denied = denied,
        };

        // The event source mapping polls the signal queue with the export function's role (the harness's
        // mapping does not pass the gateway, so its three actions are checked here, once).
        foreach (var operation in new[] { "ReceiveMessage", "DeleteMessage", "GetQueueAttributes" })
        {
            authorizer.Authorize(
                authorizer.Role(ExportFunctionName),
                new AwsRequestInfo { Service = "sqs", Operation = operation, HttpMethod = "POST", Region = LocalCloudResources.Region, QueueUrl = cloud.SignalQueueUrl.ToString() });
        }
        // The signal function's mapping polls its on-failure destination's queue with the signal function's role, and
        // Lambda sends the invocation records there with that role too.
        if (cloud.SignalFailureQueueUrl is { } failures)
        {
            foreach (var operation in new[] { "ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "SendMessage" })
            {
                authorizer.Authorize(
                    authorizer.Role(SignalFunctionName),
                    new AwsRequestInfo { Service = "sqs", Operation = operation, HttpMethod = "POST", Region = LocalCloudResources.Region, QueueUrl = failures.ToString() });
            }
        }

        var gateway = await AwsGateway.StartAsync(
            cloud.MotoEndpoint,
            cloud.Front.Endpoint,
            new GatewayOptions
            {
                SignalFunctionName = SignalFunctionName,
                ExportFunctionName = ExportFunctionName,
                StateBucket = cloud.ExportSettings.StateBucket,
                StatePrefix = cloud.ExportSettings.StatePrefix,
                SignalQueueUrl = cloud.SignalQueueUrl,
                Faults = faults,
                FaultCounters = faultCounters,
                FaultSeed = seed ^ 0x7a0175,
                Crashes = crashes.Armed ? crashes : null,
                Trace = line => log.WriteLine("gateway", line),
                Authorizer = authorizer,
            },
            accessKeyId => registry.TryFindByAccessKey(accessKeyId, out var environment)
                ? new GatewayCaller(environment.FunctionName, environment.EnvironmentId, environment.Kill, () => environment.CurrentRequestId)
                : null,
            ct).ConfigureAwait(false);

        var processClock = new ProcessClock(clock, faults.FunctionClockOffset);
        var host = new LambdaHostOptions
        {
            Clock = new OffsetClock(clock, faults.FunctionClockOffset),
            ClockSpeed = clock.Speed,
            ClockEnvironment = processClock.Variables,
            ExtraEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = gateway.Endpoint.ToString().TrimEnd('/') },
            Output = log.WriteLine,
            Registry = registry,
        };
        var signal = new LambdaFunction(Define(template, cloud, package, SignalFunctionName, signalEnvironments, InvocationType.Event), host);
        // Two environments: the event source mapping's (one batch at a time on the single FIFO group) and a
        // second caller's (someone running the function by hand with the same signals) at the same time.
        var export = new LambdaFunction(Define(template, cloud, package, ExportFunctionName, 2, InvocationType.RequestResponse), host);
        return new FunctionProcesses(gateway, authorizer, signal, export);
    }

    public async ValueTask DisposeAsync()
    {
        await SignalFunction.DisposeAsync().ConfigureAwait(false);
        await ExportFunction.DisposeAsync().ConfigureAwait(false);
        await Gateway.DisposeAsync().ConfigureAwait(false);
    }

    private static FunctionDefinition Define(ServerlessTemplate template, LocalCloudResources cloud, FunctionPackage package, string logicalId, int concurrency, InvocationType type)
    {
        var properties = template.FunctionProperties(logicalId);
        return new FunctionDefinition(
            logicalId,
            properties.GetProperty("Handler").GetString()!,
            TimeSpan.FromSeconds(properties.GetProperty("Timeout").GetInt32()),
            properties.GetProperty("MemorySize").GetInt32(),
            cloud.FunctionEnvironments[logicalId],
            package.Directory,
            concurrency,
            type)
        {
            Region = LocalCloudResources.Region,
            AccountId = LocalCloudResources.AccountId,
        };
    }

    /// <summary>The harness's view of an invocation: the response, a thrown function error, or null for a process that never answered.</summary>
    private sealed class Invoker(LambdaFunction function) : IFunctionInvoker
    {
        public async Task<Stream?> InvokeAsync(byte[] payload, string? traceId = null)
        {
            var result = await function.InvokeAsync(payload, traceId, CancellationToken.None).ConfigureAwait(false);
            return result.Outcome switch
            {
                InvocationOutcome.Success => new MemoryStream(result.Response ?? [], writable: false),
                InvocationOutcome.Died or InvocationOutcome.TimedOut => null,
                _ => throw new FunctionErrorException(function.Definition.Name, result),
            };
        }
    }
}
