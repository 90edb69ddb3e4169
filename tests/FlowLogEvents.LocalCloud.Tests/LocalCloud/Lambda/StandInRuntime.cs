using FlowLogEvents.Local.Lambda;

namespace FlowLogEvents.Tests.LocalCloud.Lambda;

/// <summary>
/// A package directory whose <c>bootstrap</c> is a tiny runtime in bash and curl, independent of any product code.
/// <see cref="Controlled"/> does what the payload's first five bytes say: <c>sleep</c> (30 s in a child process),
/// <c>exit!</c> (half a line, then exit 3), <c>error</c> (posts an invocation error), <c>large</c> (a response of
/// 6,291,557 bytes), <c>bogus</c> (responses to a wrong id, the right one, the right one again), <c>pause</c>
/// (0.5 s, then echo); anything else is echoed back.
/// </summary>
internal sealed class StandInRuntime : IDisposable
{
    private const string Prelude = """
        #!/bin/bash
        api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
        work="$LAMBDA_TASK_ROOT/work.$$"
        mkdir -p "$work"
        next() {
          curl -sS -D "$work/headers" -o "$work/body" "$api/invocation/next" || exit 90
          id=$(grep -i '^lambda-runtime-aws-request-id:' "$work/headers" | cut -d' ' -f2 | tr -d '\r\n')
        }
        respond() { curl -sS -H 'Expect:' -o /dev/null -w '%{http_code}' --data-binary @"$1" "$api/invocation/${2:-$id}/response"; }
        echo "started $$"

        """;

    public const string Controlled = """
        while true; do
          next
          echo "got $id"
          case "$(head -c 5 "$work/body")" in
            sleep) sleep 30 & echo "child $!"; wait ;;
            exit!) printf 'half a line'; exit 3 ;;
            error) curl -sS -o /dev/null -H 'Expect:' -H 'Lambda-Runtime-Function-Error-Type: QueueDoesNotExistException' \
                     --data-binary '{"errorMessage":"the signal queue is gone","errorType":"QueueDoesNotExistException","stackTrace":["at Send()"]}' \
                     "$api/invocation/$id/error" ;;
            large) head -c 6291557 /dev/zero > "$work/large"; echo "large response $(respond "$work/large")" ;;
            bogus) echo "bogus id $(respond "$work/body" 00000000-0000-0000-0000-000000000000)"
                   echo "first $(respond "$work/body")"
                   echo "again $(respond "$work/body")" ;;
            pause) sleep 0.5; respond "$work/body" > /dev/null ;;
            *) respond "$work/body" > /dev/null ;;
          esac
        done
        """;

    /// <summary>Answers each invocation with the headers it saw, a line "--", and its own environment (/proc/self/environ).</summary>
    public const string Introspect = """
        while true; do
          next
          { cat "$work/headers"; echo "--"; tr '\0' '\n' < /proc/$$/environ; } > "$work/out"
          respond "$work/out" > /dev/null
        done
        """;

    /// <summary>The first process posts init/error and waits to be killed; later ones echo.</summary>
    public const string InitErrorOnce = """
        if [ ! -e "$LAMBDA_TASK_ROOT/failed-once" ]; then
          touch "$LAMBDA_TASK_ROOT/failed-once"
          curl -sS -o /dev/null -H 'Expect:' -H 'Lambda-Runtime-Function-Error-Type: Runtime.InvalidSetting' \
            --data-binary '{"errorMessage":"SIGNAL_QUEUE_URL is not set","errorType":"Runtime.InvalidSetting"}' "$api/init/error"
          sleep 30
        fi
        while true; do next; respond "$work/body" > /dev/null; done
        """;

    /// <summary>Dies during init, before asking for an invocation.</summary>
    public const string CrashBeforeNext = """
        echo "cannot load Amazon.Lambda.Core" >&2
        exit 1
        """;

    private StandInRuntime(string directory) => Directory = directory;

    public string Directory { get; }

    public static StandInRuntime Create(string body)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The stand-in runtimes are bash scripts for Linux.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "fle-lambda-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var bootstrap = Path.Combine(directory, "bootstrap");
        File.WriteAllText(bootstrap, Prelude + body + "\n");
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new StandInRuntime(directory);
    }

    public FunctionDefinition Definition(
        int maxConcurrency = 1,
        InvocationType type = InvocationType.RequestResponse,
        double timeoutSeconds = 2,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new("probe", "FlowLogEvents::FlowLogEvents.Functions.Probe::HandleAsync", TimeSpan.FromSeconds(timeoutSeconds), 512,
            environment ?? new Dictionary<string, string>(), Directory, maxConcurrency, type);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed runtime's last file; the temp folder is cleaned eventually.
        }
    }
}
