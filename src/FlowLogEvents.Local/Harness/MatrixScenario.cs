namespace FlowLogEvents.Local.Harness;

/// <summary>One scenario of the reliability matrix: a name and the run it makes.</summary>
public sealed record MatrixScenario(string Name, string What, ScenarioOptions Options);
