#!/usr/bin/env bash
# Cold start of both functions, from process start to the first handled event, for the default
# build, ReadyToRun and (for a direct-call host) Native AOT. Needs moto_server (pyenv shims).
# Usage: tests/FlowLogEvents.ColdStart/run.sh [runs]   (default 11; prints a Markdown table)
# COMPOSITE=1 adds composite ReadyToRun (framework-dependent: the app's assemblies only).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-11}"
OUT="${OUT:-$(mktemp -d)}"
RID="${RID:-linux-x64}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PATH="$PATH:$HOME/.pyenv/shims"

publish() { # name, extra properties...
  local name="$1"; shift
  # Each variant from clean intermediates: ReadyToRun outputs of another variant must not be reused.
  rm -rf "src/FlowLogEvents/obj/Release/net10.0/$RID" "src/FlowLogEvents/bin/Release/net10.0/$RID"
  dotnet publish src/FlowLogEvents/FlowLogEvents.csproj -c Release -r "$RID" --self-contained false -o "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1 \
    || { echo "publish $name failed, see $OUT/$name.log" >&2; return 1; }
  cp tests/FlowLogEvents.ColdStart/bin/Release/net10.0/FlowLogEvents.ColdStart.dll "$OUT/$name/"
}

dotnet build tests/FlowLogEvents.ColdStart/FlowLogEvents.ColdStart.csproj -c Release >"$OUT/host.log" 2>&1
publish default -p:PublishReadyToRun=false
publish r2r -p:PublishReadyToRun=true
[ -n "${COMPOSITE:-}" ] && { publish r2r-composite -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true || true; }
AOT=1
dotnet publish tests/FlowLogEvents.ColdStart.Aot/FlowLogEvents.ColdStart.Aot.csproj -c Release -r "$RID" -o "$OUT/aot" >"$OUT/aot.log" 2>&1 \
  || { echo "Native AOT publish failed, see $OUT/aot.log" >&2; AOT=0; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" >"$OUT/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
for _ in $(seq 50); do curl -s -o /dev/null "$AWS_ENDPOINT_URL" && break; sleep 0.2; done

# Queues, bucket, log group, and the two events (an export window an hour old, so it is planned).
eval "$("$HOME/.pyenv/shims/python3" - "$OUT" <<'PY'
import boto3, json, sys, time, base64, gzip
out = sys.argv[1]
kw = dict(region_name="us-east-1")
sqs, s3, logs = boto3.client("sqs", **kw), boto3.client("s3", **kw), boto3.client("logs", **kw)
q = sqs.create_queue(QueueName="coldstart-signals.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
dlq = sqs.create_queue(QueueName="coldstart-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
s3.create_bucket(Bucket="coldstart-exports")
logs.create_log_group(logGroupName="/vpc/coldstart")
now = int(time.time() * 1000)
logs.create_log_stream(logGroupName="/vpc/coldstart", logStreamName="eni-0a1b2c3d4e5f60718-all")
logs.put_log_events(logGroupName="/vpc/coldstart", logStreamName="eni-0a1b2c3d4e5f60718-all",
    logEvents=[{"timestamp": now - 3600_000 + i * 1000, "message": f"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.{i} 10.0.1.5 443 4431{i} 6 10 840 0 0 ACCEPT OK"} for i in range(10)])
w = now - 3600_000 - (now % 60_000)
signal = {"schema": 1, "kind": "data", "logGroup": "/vpc/coldstart", "owner": "123456789012", "logStream": "eni-0a1b2c3d4e5f60718-all",
          "firstEventTime": w - 60_000, "lastEventTime": w + 30_000, "eventCount": 10, "windowStart": w, "windowEnd": w + 60_000}
json.dump({"Records": [{"messageId": "c0ffee00-1111-4222-8333-444455556601", "body": json.dumps(signal),
    "attributes": {"ApproximateReceiveCount": "1", "MessageGroupId": "flowlogevents-exports"},
    "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:coldstart-signals.fifo"}]}, open(f"{out}/export-event.json", "w"))
doc = {"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "/vpc/coldstart", "logStream": "eni-0a1b2c3d4e5f60718-all",
       "subscriptionFilters": ["flowlogevents"], "logEvents": [{"id": str(36000000000000000000000000000000000000000000000000000000 + i), "timestamp": now - 600_000 + i,
       "message": f"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.{i % 250} 10.0.1.5 443 {40000 + i} 6 10 840 {now // 1000 - 600} {now // 1000 - 540} ACCEPT OK"} for i in range(100)]}
data = base64.b64encode(gzip.compress(json.dumps(doc, separators=(",", ":")).encode())).decode()
json.dump({"awslogs": {"data": data}}, open(f"{out}/signal-event.json", "w"))
print(f"export SIGNAL_QUEUE_URL='{q}' DEAD_LETTER_QUEUE_URL='{dlq}' EXPORT_BUCKET=coldstart-exports")
PY
)"

SIGNAL=FlowLogEvents::FlowLogEvents.Functions.SignalFunction::HandleAsync
EXPORT=FlowLogEvents::FlowLogEvents.Functions.ExportFunction::HandleAsync
cases=()
for build in default r2r r2r-composite; do
  [ -f "$OUT/$build/FlowLogEvents.dll" ] || continue
  exec_="$(command -v dotnet) exec --depsfile $OUT/$build/FlowLogEvents.deps.json --runtimeconfig $OUT/$build/FlowLogEvents.runtimeconfig.json $OUT/$build/FlowLogEvents.ColdStart.dll host"
  cases+=(--case "signal $build=$exec_ $SIGNAL $OUT/signal-event.json" --case "export $build=$exec_ $EXPORT $OUT/export-event.json")
done
if [ "$AOT" = 1 ]; then
  cases+=(--case "signal aot=$OUT/aot/FlowLogEvents.ColdStart.Aot signal $OUT/signal-event.json" --case "export aot=$OUT/aot/FlowLogEvents.ColdStart.Aot export $OUT/export-event.json")
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); runtime $(dotnet --list-runtimes | grep NETCore.App | tail -1 | cut -d' ' -f2); RID $RID; publish folder $OUT"
dotnet tests/FlowLogEvents.ColdStart/bin/Release/net10.0/FlowLogEvents.ColdStart.dll drive --runs "$RUNS" "${cases[@]}"
