namespace FlowLogEvents.Verification;

/// <summary>What one check of one window found and did.</summary>
public sealed record VerificationResult
{
    public required VerificationOutcome Outcome { get; init; }

    /// <summary>Events CloudWatch Logs holds in the window, all streams.</summary>
    public long Held { get; init; }

    /// <summary>Lines the window's exported objects held before this check's repairs.</summary>
    public long Exported { get; init; }

    /// <summary>Events found missing (held but not exported).</summary>
    public long Missing { get; init; }

    public long Repaired { get; init; }

    public long Surplus { get; init; }

    public long Unrepaired { get; init; }

    public int ObjectsRead { get; init; }

    public long BytesRead { get; init; }

    public int ObjectsWritten { get; init; }

    /// <summary>What the Logs Insights query scanned (bytesScanned), the figure it is billed by.</summary>
    public double BytesScanned { get; init; }

    /// <summary>The streams that differed.</summary>
    public IReadOnlyList<StreamFinding> Streams { get; init; } = [];

    /// <summary>Why the window could not be verified (<see cref="VerificationOutcome.Unverifiable"/>).</summary>
    public string? Error { get; init; }

    public static VerificationResult Unverifiable(string error) => new() { Outcome = VerificationOutcome.Unverifiable, Error = error };
}
