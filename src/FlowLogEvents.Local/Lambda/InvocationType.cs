namespace FlowLogEvents.Local.Lambda;

/// <summary>How a function is invoked, as Lambda's Invoke API names it; it decides the request payload limit.</summary>
public enum InvocationType
{
    /// <summary>Synchronous: the SQS event source mapping waits for the response.</summary>
    RequestResponse,

    /// <summary>Asynchronous: CloudWatch Logs subscriptions hand the event to Lambda's queue.</summary>
    Event,
}
