#!/usr/bin/env bash
# Package smoke test for both Function apps: builds them with scripts/package.sh, checks their layouts, then unzips
# the consumers' custom-handler package into a temporary folder and starts it the way the Functions host does
# (FUNCTIONS_CUSTOMHANDLER_PORT, working directory = package root, a clean environment, no ../shared beside it).
#
#   api      (isolated worker, dotnet-isolated): layout only. The worker cannot run without the Functions host (it
#            connects back to the host over gRPC), and no host is available here; the HTTP behaviour is covered by
#            the local router tests. Checked: host.json, worker.config.json, extensions.json, .azurefunctions/,
#            framework-dependent publish, the model, the profile, and functions.metadata against EXPECTED_API below
#            (names and trigger types).
#   workers  (custom handler): layout (host.json, function folders = src/RouterFunctions.Workers/functions, Service
#            Bus triggers on the queues infra/main.bicep creates, execute bit in the zip, model, profile), then
#            started from the unpacked zip: GET / (the host's readiness probe), optionally a host invocation, a clean
#            stop on SIGTERM. Once more with Storage__Mode=Azure against Azurite when it is installed.
#
# The profile is trained first, quickly, with the CLI on a 300-query subset of the development data and shipped in
# both packages as .data/profile.json (Router__ProfilePath=.data/profile.json, as infra/ sets it in Azure).
#
# Usage: .ci/package-smoke.sh          Needs: the .NET SDK, curl, unzip/zipinfo, jq or python3, ../shared.
# Environment:
#   AZURITE_TABLE_BIN          the azurite-table binary (default: .ci/.tools/node_modules/.bin/azurite-table).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS
data=../shared/data/routerbench_subset/queries.jsonl
export DOTNET_ARTIFACTS="${DOTNET_ARTIFACTS:-$repo/artifacts/dotnet}"

# The isolated app's functions, name:trigger type, as functions.metadata lists them.
EXPECTED_API="
Route:httpTrigger
Feedback:httpTrigger
RetrainNow:httpTrigger
Profiles:httpTrigger
Health:httpTrigger
Retrains:httpTrigger
Stats:httpTrigger
ChatCompletions:httpTrigger
Models:httpTrigger
Aggregate:httpTrigger
AggregateStatus:httpTrigger
RetrainTimer:timerTrigger
"

checks=0
pass() { checks=$((checks + 1)); echo "[smoke]   ok: $1"; }
fail() { echo "[smoke] FAILED: $1" >&2; exit 1; }

for tool in dotnet curl unzip zipinfo; do
  command -v "$tool" >/dev/null || fail "$tool is required"
done
if command -v jq >/dev/null; then json=jq; elif command -v python3 >/dev/null; then json=python3; else fail "jq or python3 is required"; fi
[ -f "$data" ] || fail "$data is missing"

tmp=$(mktemp -d)
pid=""
azurite_pid=""
handler_log=""
stop_pid() { # pid: TERM, then KILL after 5 s
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop_pid "$pid"
  stop_pid "$azurite_pid"
  if [ "$status" -ne 0 ] && [ -n "$handler_log" ] && [ -f "$handler_log" ]; then
    echo "[smoke] last lines of the handler's log:" >&2
    tail -n 40 "$handler_log" >&2 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# metadata_functions <functions.metadata>: "name trigger-type language scriptFile" per function.
metadata_functions() {
  if [ "$json" = jq ]; then
    jq -r '.[] | "\(.name) \([.bindings[] | select(.direction | ascii_downcase == "in") | .type][0] // "none") \(.language) \(.scriptFile)"' "$1"
  else
    python3 - "$1" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1])):
    trig = next((b["type"] for b in f.get("bindings", []) if b.get("direction", "").lower() == "in"), "none")
    print(f["name"], trig, f.get("language"), f.get("scriptFile"))
PY
  fi
}

# json_has_key <file> <key>: the file is a JSON object with that key.
json_has_key() {
  if [ "$json" = jq ]; then
    jq -e --arg k "$2" 'type == "object" and has($k)' "$1" >/dev/null 2>&1
  else
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if isinstance(d, dict) and sys.argv[2] in d else 1)' "$1" "$2" 2>/dev/null
  fi
}

# --- 1. A small profile, trained with the CLI on 300 queries spread over the data set (every 10th row). ---
echo "[smoke] 1/6 training a profile on a 300-query subset"
awk 'NR % 10 == 3 && ++n <= 300' "$data" > "$tmp/subset.jsonl"
[ "$(wc -l < "$tmp/subset.jsonl")" -eq 300 ] || fail "could not take 300 rows from $data"
t=$SECONDS
dotnet run -c Release --project src/RouterFunctions.Cli --artifacts-path "$DOTNET_ARTIFACTS" -- \
  train --data "$tmp/subset.jsonl" --split all -o "$tmp/profile.json" > "$tmp/train.log" 2>&1 \
  || { tail -n 30 "$tmp/train.log" >&2; fail "training the profile"; }
[ -s "$tmp/profile.json" ] || fail "training wrote no profile"
grep -E '\[train\] best' "$tmp/train.log" | sed 's/^/[smoke]     /' || true
echo "[smoke]     trained in $((SECONDS - t)) s"

# --- 2. Both packages. ---
echo "[smoke] 2/6 building both packages (scripts/package.sh all)"
scripts/package.sh all "$tmp/out" --profile "$tmp/profile.json" > "$tmp/package.log" 2>&1 \
  || { sed 's/^/[smoke]     /' "$tmp/package.log" >&2; fail "scripts/package.sh"; }
sed 's/^/[smoke]     /' "$tmp/package.log"

# data_in_zip <list> <app>: the model and the profile.
data_in_zip() {
  for f in model.onnx tokenizer.model LICENSE; do
    grep -qxF "models/universal-sentence-encoder-lite/$f" "$1" || fail "$2: models/universal-sentence-encoder-lite/$f in the zip"
  done
  pass "$2: models/universal-sentence-encoder-lite/{model.onnx,tokenizer.model,LICENSE}"
  grep -qxF ".data/profile.json" "$1" || fail "$2: .data/profile.json in the zip"
  cmp -s "$tmp/profile.json" "$tmp/out/$2/.data/profile.json" || fail "$2: .data/profile.json is not the trained profile"
  pass "$2: .data/profile.json"
}

# --- 3. The api package (isolated worker): layout only. ---
echo "[smoke] 3/6 api package layout (isolated worker; not started: it needs the Functions host)"
api="$tmp/out/api"
zipinfo -1 "$tmp/out/api.zip" > "$tmp/api.list"
for f in host.json functions.metadata worker.config.json extensions.json RouterFunctions.Functions.dll \
  RouterFunctions.Functions.deps.json RouterFunctions.Functions.runtimeconfig.json; do
  [ -f "$api/$f" ] && grep -qxF "$f" "$tmp/api.list" || fail "api: $f at the package root"
done
pass "api: host.json, functions.metadata, worker.config.json, extensions.json, RouterFunctions.Functions.dll at the root"
grep -q '^\.azurefunctions/.\+' "$tmp/api.list" || fail "api: .azurefunctions/ (the Worker SDK's extension metadata) in the zip"
grep -qxF ".azurefunctions/function.deps.json" "$tmp/api.list" || fail "api: .azurefunctions/function.deps.json in the zip"
pass "api: .azurefunctions/ ($(grep -c '^\.azurefunctions/.\+' "$tmp/api.list") files)"
! grep -q '"customHandler"' "$api/host.json" || fail "api: host.json must not declare a customHandler"
! grep -q '"extensionBundle"' "$api/host.json" || fail "api: host.json must not declare an extensionBundle (dotnet-isolated ignores it)"
pass "api: host.json is the isolated app's (no customHandler, no extensionBundle)"
grep -q '"language": *"dotnet-isolated"' "$api/worker.config.json" \
  && grep -q '"defaultWorkerPath": *"RouterFunctions.Functions.dll"' "$api/worker.config.json" \
  || fail "api: worker.config.json does not start RouterFunctions.Functions.dll as dotnet-isolated: $(tr -d '\n' < "$api/worker.config.json")"
pass "api: worker.config.json starts RouterFunctions.Functions.dll (dotnet-isolated)"
grep -q '"Microsoft.NETCore.App"' "$api/RouterFunctions.Functions.runtimeconfig.json" && [ ! -f "$api/libcoreclr.so" ] \
  || fail "api: not a framework-dependent publish (dotnet-isolated 10.0 provides the runtime)"
pass "api: framework-dependent (runtimeconfig names Microsoft.NETCore.App; no bundled runtime)"
data_in_zip "$tmp/api.list" api

metadata_functions "$api/functions.metadata" > "$tmp/api.functions" || fail "api: functions.metadata is not readable JSON"
[ -s "$tmp/api.functions" ] || fail "api: functions.metadata lists no functions"
while read -r name trigger language script; do
  [ "$language" = dotnet-isolated ] && [ "$script" = RouterFunctions.Functions.dll ] \
    || fail "api: function $name is $language in $script (expected dotnet-isolated in RouterFunctions.Functions.dll)"
done < "$tmp/api.functions"
missing=""
for entry in $EXPECTED_API; do
  name=${entry%%:*}
  want=${entry#*:}
  got=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/api.functions")
  if [ -z "$got" ]; then
    missing="$missing $name"
    continue
  fi
  [ "$got" = "$want" ] || fail "api: function $name is triggered by $got, expected $want"
done
extra=$(awk '{ print $1 }' "$tmp/api.functions" | while read -r name; do
  case "$EXPECTED_API" in *"
$name:"*) ;; *) printf '%s ' "$name" ;; esac
done)
present=$(wc -l < "$tmp/api.functions")
[ -z "$missing" ] || fail "api: functions.metadata lacks:$missing"
[ -z "$extra" ] || echo "[smoke]   note: functions not in EXPECTED_API (add them there): $extra"
pass "api: functions.metadata: $present functions, those expected with the right triggers"
echo "[smoke]     api.zip: $(wc -l < "$tmp/api.list") entries, $(du -h "$tmp/out/api.zip" | cut -f1)"

# --- 4. The workers package (custom handler): layout. ---
echo "[smoke] 4/6 workers package layout (custom handler)"
wpkg="$tmp/out/workers"
wsrc=src/RouterFunctions.Workers
zipinfo -1 "$tmp/out/workers.zip" > "$tmp/workers.list"
in_zip() { grep -qxF "$1" "$tmp/workers.list"; }
[ -f "$wpkg/host.json" ] && in_zip host.json || fail "workers: host.json at the package root"
cmp -s "$wsrc/host.json" "$wpkg/host.json" || fail "workers: host.json differs from $wsrc/host.json"
grep -q '"defaultExecutablePath": *"RouterFunctions.Workers"' "$wpkg/host.json" || fail "workers: host.json does not start RouterFunctions.Workers"
grep -q '"extensionBundle"' "$wpkg/host.json" || fail "workers: host.json has no extensionBundle (the Service Bus triggers come from it)"
pass "workers: host.json (customHandler RouterFunctions.Workers, extension bundle)"
! in_zip functions.metadata || fail "workers: functions.metadata in the custom-handler package"
# The queues infra/main.bicep creates: every trigger must listen on one of them.
queues=$(sed -n '/^var queues = \[/,/^\]/p' infra/main.bicep | sed -n "s/^ *name: '\([^']*\)'.*/\1/p" | tr '\n' ' ')
[ -n "$queues" ] || fail "could not read the queue names from infra/main.bicep"
api_names=" $(awk '{ print $1 }' "$tmp/api.functions" | tr '\n' ' ') "
wcount=0
for dir in "$wsrc"/functions/*/; do
  name=$(basename "$dir")
  [ -f "$wpkg/$name/function.json" ] && in_zip "$name/function.json" || fail "workers: $name/function.json in the package"
  cmp -s "$dir/function.json" "$wpkg/$name/function.json" || fail "workers: $name/function.json differs from $wsrc/functions/$name"
  grep -q '"type": *"serviceBusTrigger"' "$dir/function.json" || fail "workers: $name has no serviceBusTrigger"
  grep -q '"connection": *"ServiceBusConnection"' "$dir/function.json" || fail "workers: $name's trigger does not use the connection ServiceBusConnection"
  queue=$(sed -n 's/.*"queueName": *"\([^"]*\)".*/\1/p' "$dir/function.json" | head -n 1)
  case " $queues" in *" $queue "*) ;; *) fail "workers: $name listens on '$queue', not one of the queues in infra/main.bicep ($queues)" ;; esac
  case "$api_names" in *" $name "*) fail "workers: $name is also a function of the api app (one app per function)" ;; esac
  pass "workers: $name/function.json (serviceBusTrigger on $queue)"
  wcount=$((wcount + 1))
done
[ "$wcount" -gt 0 ] || fail "workers: no function folders in $wsrc/functions"
[ ! -d "$wpkg/functions" ] || fail "workers: a functions/ folder at the package root (the function folders belong at the root)"
[ -x "$wpkg/RouterFunctions.Workers" ] || fail "workers: RouterFunctions.Workers is executable in the folder"
mode=$(zipinfo "$tmp/out/workers.zip" RouterFunctions.Workers | awk '{print $1}')
case "$mode" in -rwx*) ;; *) fail "workers: RouterFunctions.Workers is stored as '$mode' in the zip (needs the owner's x bit)" ;; esac
pass "workers: RouterFunctions.Workers is executable (zip mode $mode)"
[ -f "$wpkg/libcoreclr.so" ] || fail "workers: not a self-contained publish (libcoreclr.so missing)"
pass "workers: self-contained linux-x64"
data_in_zip "$tmp/workers.list" workers
echo "[smoke]     workers.zip: $(wc -l < "$tmp/workers.list") entries, $(du -h "$tmp/out/workers.zip" | cut -f1)"

# --- 5. Unzip the workers package and start it the way the host does. ---
echo "[smoke] 5/6 starting RouterFunctions.Workers from the unpacked zip"
app="$tmp/wwwroot"
mkdir -p "$app"
unzip -q "$tmp/out/workers.zip" -d "$app"
[ -x "$app/RouterFunctions.Workers" ] || fail "RouterFunctions.Workers lost its execute bit when unzipped"
pass "unzipped; RouterFunctions.Workers still executable"

free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

# start_handler <log name> [NAME=value ...]: the host's environment for a custom handler (plus PATH/HOME and the
# app settings given), nothing else, so nothing leaks in from the SDK or the CI (DOTNET_ROOT, ASPNETCORE_URLS, ...).
start_handler() {
  local name=$1; shift
  port=$(free_port) || fail "no free port found"
  base="http://127.0.0.1:$port"
  launched=$SECONDS
  launched_ns=$(date +%s%N)
  (cd "$app" && exec env -i PATH=/usr/bin:/bin HOME="$tmp" \
    FUNCTIONS_CUSTOMHANDLER_PORT="$port" \
    FUNCTIONS_CUSTOMHANDLER_WORKER_ID="$(cat /proc/sys/kernel/random/uuid)" \
    FUNCTIONS_APP_ROOT_PATH="$app" \
    "$@" \
    ./RouterFunctions.Workers) > "$tmp/$name.log" 2>&1 &
  pid=$!
  handler_log="$tmp/$name.log"
  echo "[smoke]     pid $pid, port $port, cwd $app, settings: $(printf '%s ' "${@%%=*}")"

  # The host's readiness probe: GET / until any HTTP answer; the host gives up after 60 s.
  local code=000
  while :; do
    kill -0 "$pid" 2>/dev/null || fail "RouterFunctions.Workers exited during startup"
    code=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 1 "$base/" || true)
    [ "$code" != 000 ] && break
    [ $((SECONDS - launched)) -lt 60 ] || fail "GET / did not answer within 60 s"
    sleep 0.1
  done
  pass "GET / answered $code after $(( ($(date +%s%N) - launched_ns) / 1000000 )) ms (readiness probe)"
}

stop_handler() {
  kill -0 "$pid" 2>/dev/null || fail "RouterFunctions.Workers died during the requests"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "RouterFunctions.Workers did not stop within 10 s of SIGTERM"
  pid=""
  pass "stopped cleanly on SIGTERM"
}

# A host invocation as the Functions host sends it for a serviceBusTrigger (recorded payload shape: Data holds the
# message body as a JSON string; Metadata values are JSON-encoded strings).
invocation() { # function body -> body in "$tmp/body"; prints "<status> <content type>"
  curl -s -o "$tmp/body" -w '%{http_code} %{content_type}' --max-time 30 -X POST "$base/$1" \
    -H 'content-type: application/json' \
    -H "X-Azure-Functions-InvocationId: $(cat /proc/sys/kernel/random/uuid)" \
    -H 'X-Azure-Functions-HostVersion: 4.1040.300.0' \
    --data-binary "$2"
}
ingest_payload='{"Data":{"msg":"{\"id\":\"x\"}"},"Metadata":{"MessageId":"\"m1\"","DeliveryCount":"1"}}'

invoke_ok() {
  local out
  out=$(invocation IngestFeedback "$ingest_payload")
  [ "${out%% *}" = 200 ] || fail "POST /IngestFeedback answered $out: $(head -c 300 "$tmp/body")"
  json_has_key "$tmp/body" Logs || fail "POST /IngestFeedback: not a JSON object with \"Logs\": $(head -c 300 "$tmp/body")"
  pass "POST /IngestFeedback (host invocation) -> 200 with Logs"
}

# As deployed: Router__ProfilePath points at the packaged profile. Storage in the default local mode here.
# The namespace is an app setting as deployed; nothing is sent (the recorded invocation parks an unreadable event).
start_handler workers Router__ProfilePath=.data/profile.json ServiceBusConnection__fullyQualifiedNamespace=smoke.servicebus.windows.net
invoke_ok
stop_handler

# --- 6. The deployed storage mode (Storage__Mode=Azure), against Azurite when it is installed (.ci/run installs it
# into .ci/.tools): the consumers start against Table Storage and write nothing inside the (read-only) package. ---
azurite="${AZURITE_TABLE_BIN:-}"
[ -n "$azurite" ] || azurite=$(ls .ci/.tools/node_modules/.bin/azurite-table 2>/dev/null || command -v azurite-table || true)
if [ -n "$azurite" ] && [ -x "$azurite" ]; then
  echo "[smoke] 6/6 workers again with Storage__Mode=Azure against Azurite ($azurite)"
  azurite_port=$(free_port) || fail "no free port for Azurite"
  mkdir -p "$tmp/azurite"
  "$azurite" --tableHost 127.0.0.1 --tablePort "$azurite_port" --location "$tmp/azurite" --silent \
    --skipApiVersionCheck --disableProductStyleUrl > "$tmp/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$azurite_port") 2>/dev/null && break
    kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite exited: $(tail -n 5 "$tmp/azurite.log")"
    sleep 0.1
  done
  # Azurite's well-known development account (public and documented, not a secret). In Azure the apps use
  # Storage__TableServiceUri and their managed identities instead (infra/main.bicep).
  devkey='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  rm -rf "$app/.data/tables"
  start_handler workers-azure Router__ProfilePath=.data/profile.json ServiceBusConnection__fullyQualifiedNamespace=smoke.servicebus.windows.net Storage__Mode=Azure \
    "Storage__ConnectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$devkey;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
  invoke_ok
  stop_handler
  [ ! -d "$app/.data/tables" ] || fail "Azure mode wrote local tables under .data/tables"
  pass "no local state written in Azure mode (the deployed package is read-only)"
  kill -TERM "$azurite_pid" 2>/dev/null || true
  wait "$azurite_pid" 2>/dev/null || true
  azurite_pid=""
else
  echo "[smoke] 6/6 skipped: Azurite is not installed (.ci/run installs it into .ci/.tools; or set AZURITE_TABLE_BIN)"
fi

echo "[smoke] OK: $checks checks in $((SECONDS - started)) s"
