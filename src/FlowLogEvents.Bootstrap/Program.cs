using FlowLogEvents.Functions;
using FlowLogEvents.Runtime;

return await LambdaBootstrap.RunAsync(FunctionHandlers.All).ConfigureAwait(false);
