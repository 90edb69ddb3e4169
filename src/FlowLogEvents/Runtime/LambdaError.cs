using System.Text.Json.Serialization;

namespace FlowLogEvents.Runtime;

/// <summary>
/// The body of <c>POST runtime/invocation/{id}/error</c> and <c>POST runtime/init/error</c>; <see cref="ErrorType"/>
/// also goes into the <c>Lambda-Runtime-Function-Error-Type</c> header.
/// </summary>
public sealed record LambdaError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>The error type AWS recommends when the configured handler does not exist.</summary>
    public const string NoSuchHandler = "Runtime.NoSuchHandler";

    /// <summary>Type name, message and the stack trace's lines (trimmed, none when the exception was never thrown).</summary>
    public static LambdaError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var lines = (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LambdaError(exception.Message, exception.GetType().Name, lines);
    }
}
