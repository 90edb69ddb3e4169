namespace FlowLogEvents.Verification;

/// <summary>CloudWatch Logs could not answer a verification's question now (a query failed, was cancelled or timed out); the window is checked again later.</summary>
public sealed class VerificationSourceException : Exception
{
    public VerificationSourceException()
    {
    }

    public VerificationSourceException(string message)
        : base(message)
    {
    }

    public VerificationSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
