using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Local.Commands;

/// <summary>
/// What the root command runs: the <paramref name="Scenario"/>; whether to leave moto_server running (<paramref name="Keep"/>);
/// the published package to start (<paramref name="Package"/>, null: publish one now); or the handlers in this process
/// (<paramref name="InProcess"/>).
/// </summary>
internal sealed record RunCommandOptions(ScenarioOptions Scenario, bool Keep, string? Package, bool InProcess);
