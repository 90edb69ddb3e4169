namespace FlowLogEvents.Local.LocalCloud;

/// <summary>An error the front answers as AWS would: HTTP 400 with <c>{"__type": Code, "message": ...}</c>.</summary>
public sealed class ExportTaskException : Exception
{
    public const string LimitExceededMessage = "Resource limit exceeded.";

    public ExportTaskException(string code, string message)
        : base(message) => Code = code;

    public ExportTaskException()
        : this("InternalFailure", "internal failure")
    {
    }

    public ExportTaskException(string message)
        : this("InvalidParameterException", message)
    {
    }

    public ExportTaskException(string message, Exception innerException)
        : base(message, innerException) => Code = "InternalFailure";

    /// <summary>The bare AWS error type, e.g. LimitExceededException.</summary>
    public string Code { get; }

    public static ExportTaskException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static ExportTaskException ResourceNotFound(string message) => new("ResourceNotFoundException", message);
}
