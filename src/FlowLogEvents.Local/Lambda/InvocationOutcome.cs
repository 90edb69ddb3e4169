namespace FlowLogEvents.Local.Lambda;

/// <summary>How one invocation ended, as Lambda sees it.</summary>
public enum InvocationOutcome
{
    /// <summary>The runtime posted a response (202).</summary>
    Success,

    /// <summary>The runtime posted an invocation error, or a response over <see cref="LambdaLimits.MaxResponseBytes"/> (413).</summary>
    FunctionError,

    /// <summary>The process exited or was killed while the invocation was running: no response.</summary>
    Died,

    /// <summary>The emulator killed the process at the function's timeout (real time).</summary>
    TimedOut,

    /// <summary>The runtime posted <c>init/error</c>, or exited before it asked for the invocation.</summary>
    InitError,

    /// <summary>The request payload was over the invocation type's limit: rejected before any process saw it.</summary>
    PayloadTooLarge,
}
