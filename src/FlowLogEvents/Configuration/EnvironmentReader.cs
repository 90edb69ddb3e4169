using System.Globalization;

namespace FlowLogEvents.Configuration;

/// <summary>Reads environment variables with defaults and names the variable in every error.</summary>
public sealed class EnvironmentReader(Func<string, string?> lookup)
{
    public static EnvironmentReader Process { get; } = new(Environment.GetEnvironmentVariable);

    public string Required(string name)
    {
        var value = lookup(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ConfigurationException($"environment variable {name} is required but not set")
            : value.Trim();
    }

    public string Optional(string name, string fallback)
    {
        var value = lookup(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }

    public Uri Url(string name)
    {
        var value = Required(name);
        return Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new ConfigurationException($"environment variable {name} must be an http(s) URL, got '{value}'");
    }

    public TimeSpan Seconds(string name, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var value = lookup(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds))
        {
            throw new ConfigurationException($"environment variable {name} must be a number of seconds, got '{value}'");
        }

        var span = TimeSpan.FromSeconds(seconds);
        return span < min || span > max
            ? throw new ConfigurationException($"environment variable {name} must be between {min.TotalSeconds} and {max.TotalSeconds} seconds, got {seconds}")
            : span;
    }
}
