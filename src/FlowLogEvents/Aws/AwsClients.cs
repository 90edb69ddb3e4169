using Amazon.S3;
using Amazon.SQS;

namespace FlowLogEvents.Aws;

/// <summary>
/// Client configurations for the real functions. Region, credentials and the standard
/// <c>AWS_ENDPOINT_URL</c> / <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> overrides come from the environment,
/// so the same binary runs against moto_server.
/// </summary>
public static class AwsClients
{
    public static AmazonSQSConfig SqsConfig() => new();

    /// <summary>Path-style addressing when an endpoint override is set (moto serves no bucket subdomains).</summary>
    public static AmazonS3Config S3Config() => new()
    {
        ForcePathStyle = HasEndpointOverride("S3"),
    };

    private static bool HasEndpointOverride(string service) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_" + service))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
}
