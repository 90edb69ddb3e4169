using System.Collections.Concurrent;
using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Local.LocalCloud;

namespace FlowLogEvents.Local.Iam;

/// <summary>
/// The gateway's <see cref="IRequestAuthorizer"/> that evaluates each function request against the function's
/// role in serverless.template (<see cref="TemplateRoles"/>, <see cref="IamEvaluator"/>): every
/// <see cref="IamAccess"/> the request needs (<see cref="RequestAccess"/>) must be allowed; an operation the
/// table does not know is denied. CreateExportTask also needs the caller's write access to the destination
/// (API reference: "When you perform a CreateExportTask operation, you must use credentials that have
/// permission to write to the S3 bucket that you specify as the destination"): the role must allow
/// <c>s3:PutObject</c> on <c>arn:aws:s3:::&lt;destination&gt;/&lt;destinationPrefix&gt;/*</c> (the whole prefix the
/// task writes under, a literal <c>*</c> matched by the policy's patterns: the harsher reading of "write to the
/// bucket"). Denials are counted and reported through <see cref="Denied"/>.
/// </summary>
public sealed class TemplateRoleAuthorizer : IRequestAuthorizer
{
    /// <summary>The message CloudWatch Logs answers when the caller lacks s3:PutObject (awsdocs/amazon-cloudwatch-logs-user-guide issue 17).</summary>
    public const string CallerCannotWriteMessage = "Please ensure that the CreateExportTask caller has been granted s3:PutObject access to the bucket.";

    /// <summary>
    /// The error type of that answer. The reports quote only the message; AccessDeniedException is what
    /// CloudWatch Logs answers for the related bucket ACL check in 2026 (aws/amazon-ecs-agent pull 5116) and is
    /// assumed here too.
    /// </summary>
    public const string CallerCannotWriteErrorType = "AccessDeniedException";

    private readonly Dictionary<string, FunctionRole> _roles;
    private readonly ConcurrentQueue<string> _denials = new();
    private int _denied;

    public TemplateRoleAuthorizer(IEnumerable<FunctionRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        _roles = roles.ToDictionary(r => r.FunctionName, StringComparer.Ordinal);
    }

    /// <summary>The authorizer of both functions' roles for one deployment.</summary>
    public static TemplateRoleAuthorizer FromTemplate(ServerlessTemplate template, TemplateIntrinsics intrinsics, params string[] functions) =>
        new(functions.Select(f => TemplateRoles.For(template, intrinsics, f)));

    /// <summary>Called with a description of every denial (function, role, operation, action, resource).</summary>
    public Action<string>? Denied { get; init; }

    public int DeniedCount => Volatile.Read(ref _denied);

    /// <summary>The first denials, described (at most 50).</summary>
    public IReadOnlyList<string> Denials => [.. _denials];

    public FunctionRole Role(string functionName) => _roles[functionName];

    public AuthorizationDecision Authorize(GatewayCaller caller, AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!_roles.TryGetValue(caller.FunctionName, out var role))
        {
            return Deny(caller.FunctionName, request, $"no role in serverless.template for function {caller.FunctionName}", "Access Denied", null);
        }

        return Authorize(role, request);
    }

    public AuthorizationDecision Authorize(FunctionRole role, AwsRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(request);
        var accesses = RequestAccess.For(request);
        if (accesses is null)
        {
            var message = $"User: {role.SessionArn} is not authorized to perform: {request.Service}:{request.Operation} (the local IAM evaluator maps no IAM action for this request)";
            return Deny(role.FunctionName, request, message, message, null);
        }

        foreach (var access in accesses)
        {
            var decision = IamEvaluator.Evaluate(role.Policy, Identity(access, request));
            if (!decision.Allowed)
            {
                var message = NotAuthorized(role, access, decision);
                return Deny(role.FunctionName, request, message, message, null);
            }
        }

        if (request.Service == "logs" && request.Operation == "CreateExportTask" && request.ExportDestination is { } bucket)
        {
            var prefix = (request.ExportDestinationPrefix is { Length: > 0 } p ? p : ExportTaskBook.DefaultDestinationPrefix).Trim('/');
            var write = new IamAccess("s3:PutObject", RequestAccess.ObjectArn(bucket, prefix + "/*"));
            var decision = IamEvaluator.Evaluate(role.Policy, Identity(write, request));
            if (!decision.Allowed)
            {
                return Deny(role.FunctionName, request, $"{CallerCannotWriteErrorType}: {CallerCannotWriteMessage} ({NotAuthorized(role, write, decision)})", CallerCannotWriteMessage, CallerCannotWriteErrorType);
            }
        }

        return AuthorizationDecision.Allow;
    }

    /// <summary>AWS's wording of an identity-policy denial.</summary>
    public static string NotAuthorized(FunctionRole role, IamAccess access, IamDecision decision)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(decision);
        var why = decision.Effect == IamEffect.ExplicitDeny
            ? "with an explicit deny in an identity-based policy"
            : $"because no identity-based policy allows the {access.Action} action";
        return $"User: {role.SessionArn} is not authorized to perform: {access.Action} on resource: {access.Resource} {why}";
    }

    private static IamRequestContext Identity(IamAccess access, AwsRequestInfo request) => new(
        access.Action,
        access.Resource,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // In Lambda the SDK calls AWS over HTTPS.
            ["aws:SecureTransport"] = "true",
            ["aws:RequestedRegion"] = request.Region ?? LocalCloudResources.Region,
            ["aws:PrincipalAccount"] = LocalCloudResources.AccountId,
        });

    private AuthorizationDecision Deny(string function, AwsRequestInfo request, string description, string message, string? errorType)
    {
        Interlocked.Increment(ref _denied);
        var line = $"IAM denied {function} {request.Service}:{request.Operation}: {description}";
        if (_denials.Count < 50)
        {
            _denials.Enqueue(line);
        }

        Denied?.Invoke(line);
        return errorType is null ? AuthorizationDecision.Deny(message) : AuthorizationDecision.Deny(message, errorType);
    }
}
