using FlowLogEvents.Local.Harness;

namespace FlowLogEvents.Local.Commands;

/// <summary>What <c>--keep</c> prints: how to stop the kept moto_server and inspect the run's resources with the aws CLI.</summary>
internal static class MotoInspection
{
    public static void Print(ScenarioResult result, int pid)
    {
        var endpoint = result.MotoEndpoint.ToString().TrimEnd('/');
        Console.Out.WriteLine();
        Console.Out.WriteLine($"moto_server keeps running at {endpoint} (pid {pid}); stop it with: kill {pid}");
        Console.Out.WriteLine("Inspect it with the aws CLI (any credentials, region us-east-1):");
        Console.Out.WriteLine("    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} s3 ls s3://{result.Bucket}/ --recursive");
        foreach (var group in result.Groups)
        {
            Console.Out.WriteLine($"    aws --endpoint-url {endpoint} s3 cp \"s3://{result.Bucket}/{result.StatePrefix}/{Uri.EscapeDataString(group.LogGroup)}.json\" -   # checkpoint of {group.LogGroup}");
        }

        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} logs describe-log-groups --log-group-name-prefix /vpc/local-{result.RunId}");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} logs describe-log-streams --log-group-name {result.Groups[0].LogGroup}");
        Console.Out.WriteLine("    (export tasks lived in the CloudWatch Logs front, which ended with this run; moto's describe-export-tasks is empty)");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} sqs get-queue-attributes --queue-url {result.SignalQueueUrl} --attribute-names All");
        Console.Out.WriteLine($"    aws --endpoint-url {endpoint} sqs receive-message --queue-url {result.DeadLetterQueueUrl} --attribute-names All --message-attribute-names All");
    }
}
