using System.Net;

namespace FlowLogEvents.Local.Gateway;

/// <summary>
/// The crash points (names from <see cref="Faults.CrashSteps"/>) a request passes: <see cref="Before"/> as it
/// leaves the function, <see cref="After"/> when the call returned to the function. A call returns on a 2xx
/// answer, and, when <see cref="AfterOnConditionFailure"/>, on S3's 412 / 409 to a conditional write too
/// (the checkpoint store returns "not written" rather than throwing).
/// </summary>
public readonly record struct CrashPoint(string? Before, string? After, bool AfterOnConditionFailure = false)
{
    public static CrashPoint None { get; }

    public bool ReachesAfter(HttpStatusCode status) =>
        After is not null && ((int)status is >= 200 and < 300 || (AfterOnConditionFailure && status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict));
}
