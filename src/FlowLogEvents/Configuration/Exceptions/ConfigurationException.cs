namespace FlowLogEvents.Configuration;

/// <summary>A missing or invalid environment variable; fails the cold start with its name.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
