namespace FlowLogEvents.Runtime;

/// <summary>
/// A function as the bootstrap runs it: the invocation's payload in, the response out. <paramref name="ct"/>
/// fires <see cref="LambdaBootstrap.DeadlineMargin"/> before the invocation's deadline.
/// </summary>
public delegate Task<Stream> LambdaHandler(Stream input, CancellationToken ct);
