using Amazon.SQS.Model;
using FlowLogEvents.Local.Gateway;
using FlowLogEvents.Tests.Integration;

namespace FlowLogEvents.Tests.Gateway;

/// <summary>
/// moto 5.2.1 and the X-Amzn-Trace-Id header of SendMessage: SQS keeps it as the message's AWSTraceHeader,
/// moto does not (so the gateway writes it into the body, which moto stores).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqsTraceHeaderMotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0;Lineage=a87bd80c:3";

    [Fact]
    public async Task SendMessage_TraceHeaderOnly_MotoStoresNoAwsTraceHeader()
    {
        var (queueUrl, body) = await QueueAndBodyAsync();

        await PostAsync(body, withHeader: true);

        Assert.False((await ReceiveAsync(queueUrl)).Attributes.ContainsKey(SqsTraceHeader.AttributeName));
    }

    [Fact]
    public async Task SendMessage_BodyAsTheGatewayRewritesIt_MotoStoresAwsTraceHeader()
    {
        var (queueUrl, body) = await QueueAndBodyAsync();

        await PostAsync(SqsTraceHeader.AddTo(body, "SendMessage", Trace), withHeader: true);

        Assert.Equal(Trace, (await ReceiveAsync(queueUrl)).Attributes[SqsTraceHeader.AttributeName]);
    }

    private async Task<(string QueueUrl, byte[] Body)> QueueAndBodyAsync()
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"trace-{Guid.NewGuid():N}"[..20] + ".fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"MessageBody":"x","MessageDeduplicationId":"d1","MessageGroupId":"signals","QueueUrl":"{{queueUrl}}"}""");
        return (queueUrl, body);
    }

    private async Task PostAsync(byte[] body, bool withHeader)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Endpoint) { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Authorization", GatewayRequests.Authorization("AKIDEXPORT", "sqs"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS.SendMessage");
        if (withHeader)
        {
            request.Headers.TryAddWithoutValidation(SqsTraceHeader.HeaderName, Trace);
        }

        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<Message> ReceiveAsync(string queueUrl)
    {
        using var sqs = AwsTestClients.Sqs(moto);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MessageSystemAttributeNames = ["All"] });
        return Assert.Single(received.Messages);
    }
}
