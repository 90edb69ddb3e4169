using Amazon;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using FlowLogEvents.Aws.CloudWatchLogs;

namespace FlowLogEvents.Tests.Aws.CloudWatchLogs;

public class SigV4SignatureTests
{
    // Recompute with tools/sigv4_fixed.py (botocore SigV4Auth at the same fixed clock); botocore 1.43.11 printed:
    // AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-east-1/logs/aws4_request,
    // SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target,
    // Signature=08eb892ce58ad9f645c805e18b90f4d6bda982bb6404011121aee591df88ffea
    private const string BotocoreSignature = "08eb892ce58ad9f645c805e18b90f4d6bda982bb6404011121aee591df88ffea";

    [Fact]
    public void SignRequest_CreateLogGroupMarshalledAtFixedClock_MatchesBotocoreSignature()
    {
        var request = OperationMarshaller.Instance.Marshall(new OperationRequest(
            CloudWatchLogsOperations.CreateLogGroup, new LogGroupNameBody("/fixed"), CloudWatchLogsJsonContext.Default.LogGroupNameBody));
        request.Endpoint = new Uri("https://logs.us-east-1.amazonaws.com/");
        request.Headers["X-Amz-Content-SHA256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(request.Content));
        var config = new CloudWatchLogsConfig { RegionEndpoint = RegionEndpoint.USEast1, IgnoreConfiguredEndpointUrls = true };

        var result = new AWS4Signer().SignRequest(
            request, config, new RequestMetrics(), "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        Assert.Equal("{\"logGroupName\":\"/fixed\"}", System.Text.Encoding.UTF8.GetString(request.Content));
        Assert.Equal(BotocoreSignature, result.Signature);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-east-1/logs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, "
            + $"Signature={BotocoreSignature}",
            result.ForAuthorizationHeader);
    }
}
